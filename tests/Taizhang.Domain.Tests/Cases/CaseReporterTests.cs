using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>Reporters added to a case, and the record of who viewed their personal data.</summary>
public sealed class CaseReporterTests
{
    private readonly CaseBuilder _b = new();

    [Fact]
    public void AddReporter_adds_a_new_resident_and_records_the_same_name_and_phone_again_as_a_repeat()
    {
        var c = _b.Register(reporter: new ReporterInfo("张三", "13800000001"));
        c.AddReporter(new ReporterInfo("李四", "13900000002"), TestData.Clerk, _b.Tick());
        Assert.Equal(2, c.Reporters.Count);
        Assert.Equal(2, c.Events.Count);
        Assert.Equal((CaseAction.AddReporter, CaseStatus.Registered, CaseStatus.Registered),
            (c.Events[^1].Action, (CaseStatus)c.Events[^1].FromStatus!, c.Events[^1].ToStatus));

        c.AddReporter(new ReporterInfo("张三", "13800000001"), TestData.Clerk, _b.Tick());
        Assert.Equal(2, c.Reporters.Count);
        Assert.Equal(3, c.Events.Count);
        Assert.Contains("\"repeat\":true", c.Events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void AddReporter_with_a_known_phone_under_another_name_adds_a_reporter_as_for_any_other_phone()
    {
        // Whether a reporter is added must not tell a guessed phone number from a wrong one.
        var c = _b.Register(reporter: new ReporterInfo("张三", "13800000001"));
        c.AddReporter(new ReporterInfo("某人", "13800000001"), TestData.Clerk, _b.Tick());
        c.AddReporter(new ReporterInfo("某人", "13800000009"), TestData.Clerk, _b.Tick());
        Assert.Equal(3, c.Reporters.Count);
        Assert.DoesNotContain("repeat", c.Events[^2].Payload, StringComparison.Ordinal);
        Assert.DoesNotContain("repeat", c.Events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Reporters_without_phone_are_the_same_when_the_name_is_the_same()
    {
        var c = _b.Register(reporter: new ReporterInfo("王五", null));
        c.AddReporter(new ReporterInfo("王五", null), TestData.Clerk, _b.Tick());
        Assert.Single(c.Reporters);
        c.AddReporter(new ReporterInfo("赵六", null), TestData.Clerk, _b.Tick());
        Assert.Equal(2, c.Reporters.Count);
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Viewing_personal_data_is_recorded_in_every_state_without_changing_it(CaseStatus status)
    {
        var c = _b.InStatus(status);
        var events = c.Events.Count;
        c.RecordPersonalDataViewed(TestData.Clerk, _b.Tick());
        Assert.Equal(status, c.Status);
        Assert.Equal(events + 1, c.Events.Count);
        var e = c.Events[^1];
        Assert.Equal(CaseAction.ViewPersonalData, e.Action);
        Assert.Equal(status, e.FromStatus);
        Assert.Equal(status, e.ToStatus);
    }

    public static TheoryData<CaseStatus> AllStatuses() => new(Enum.GetValues<CaseStatus>());
}
