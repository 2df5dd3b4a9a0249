using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>Merging a duplicate into the case that survives it, and the merges that are refused.</summary>
public sealed class CaseMergeTests
{
    private readonly CaseBuilder _b = new();

    [Fact]
    public void Merge_records_on_both_cases_and_moves_reporters_without_duplicates()
    {
        var survivor = _b.Register(reporter: new ReporterInfo("张三", "13800000001"));
        var source = _b.Register(reporter: new ReporterInfo("张三(重复来电)", "13800000001"));
        source.AddReporter(new ReporterInfo("李四", "13900000002"), TestData.Clerk, _b.Tick());
        var survivorEvents = survivor.Events.Count;
        var sourceEvents = source.Events.Count;

        var at = _b.Tick();
        source.MergeInto(survivor, "同一路灯", TestData.Clerk, at);

        Assert.Equal(CaseStatus.Merged, source.Status);
        Assert.Equal(survivor.Id, source.MergedIntoId);
        Assert.Equal(at, source.ClosedAt);
        Assert.Equal(sourceEvents + 1, source.Events.Count);
        var merge = source.Events[^1];
        Assert.Equal((CaseAction.Merge, CaseStatus.Registered, CaseStatus.Merged, "同一路灯", sourceEvents + 1),
            (merge.Action, (CaseStatus)merge.FromStatus!, merge.ToStatus, merge.Reason, merge.Sequence));
        Assert.Equal(at, merge.At);

        Assert.Equal(CaseStatus.Registered, survivor.Status);
        Assert.Equal(survivorEvents + 1, survivor.Events.Count);
        var absorb = survivor.Events[^1];
        Assert.Equal((CaseAction.AbsorbMerged, CaseStatus.Registered, CaseStatus.Registered, "同一路灯", survivorEvents + 1),
            (absorb.Action, (CaseStatus)absorb.FromStatus!, absorb.ToStatus, absorb.Reason, absorb.Sequence));
        Assert.Equal(at, absorb.At);
        Assert.Equal(at, survivor.UpdatedAt);
        Assert.Contains("\"reportersAdded\":1", absorb.Payload, StringComparison.Ordinal);
        Assert.Contains(source.TrackingCode, absorb.Payload, StringComparison.Ordinal);

        Assert.Equal(new string?[] { "13800000001", "13900000002" }, survivor.Reporters.Select(r => r.Phone));
        Assert.Equal("张三", survivor.Reporters[0].Name);
        Assert.Null(survivor.Reporters[0].FromCaseId);
        Assert.Equal(source.Id, survivor.Reporters[1].FromCaseId);
    }

    [Fact]
    public void Merge_into_itself_is_refused()
    {
        var c = _b.Register();
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() => c.MergeInto(c, null, TestData.Clerk, _b.Tick()));
        Assert.Equal("case.merge-self", ex.Code);
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Theory]
    [InlineData(CaseStatus.Rejected)]
    [InlineData(CaseStatus.Merged)]
    public void Merge_into_a_closed_out_case_is_refused(CaseStatus targetStatus)
    {
        var target = _b.InStatus(targetStatus);
        var c = _b.Register();
        var before = Snapshot.Of(c);
        var targetBefore = Snapshot.Of(target);

        var ex = Assert.Throws<DomainRuleException>(() => c.MergeInto(target, null, TestData.Clerk, _b.Tick()));

        Assert.Equal("case.merge-target-closed", ex.Code);
        Assert.Equal(targetStatus.ToString(), ex.Args["state"]);
        Assert.False(target.CanAbsorb);
        Assert.Equal(before, Snapshot.Of(c));
        Assert.Equal(targetBefore, Snapshot.Of(target));
    }

    [Fact]
    public void Merge_into_a_case_of_another_town_is_refused()
    {
        var target = _b.Register(town: TestData.OtherTown);
        var c = _b.Register();
        var before = Snapshot.Of(c);
        var targetBefore = Snapshot.Of(target);

        var ex = Assert.Throws<DomainRuleException>(() => c.MergeInto(target, null, TestData.Clerk, _b.Tick()));

        Assert.Equal("case.merge-other-town", ex.Code);
        Assert.Equal(before, Snapshot.Of(c));
        Assert.Equal(targetBefore, Snapshot.Of(target));
    }

    [Fact]
    public void Merge_into_a_closed_case_is_refused()
    {
        var source = _b.InStatus(CaseStatus.Registered);
        var closed = _b.InStatus(CaseStatus.FollowedUp);
        var ex = Assert.Throws<DomainRuleException>(() => source.MergeInto(closed, null, TestData.Clerk, _b.Tick()));
        Assert.Equal("case.merge-target-closed", ex.Code);
        Assert.Equal(CaseStatus.Registered, source.Status);
    }
}
