using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>The topic track: ledgered, deliberated at a meeting, planned, then handled.</summary>
public sealed class CaseTopicTests
{
    private readonly CaseBuilder _b = new();

    [Fact]
    public void Topic_track_goes_through_deliberation_and_plan()
    {
        var c = _b.Register();
        c.Triage(Track.Topic, Urgency.Low, null, null, TestData.Due, TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.Ledgered, c.Status);
        Assert.Equal(Track.Topic, c.Track);

        c.Deliberate(42, TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.Deliberating, c.Status);
        // The case keeps the meeting it came from; the deliberating meeting is in the event.
        Assert.Null(c.MeetingId);
        Assert.Contains("\"meetingId\":42", c.Events[^1].Payload, StringComparison.Ordinal);

        c.Plan("  修缮方案  ", TestData.UnitA, TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.Planned, c.Status);
        Assert.Equal("修缮方案", c.HandlingPlan);
        Assert.Equal(TestData.UnitA, c.AssigneeUnitId);

        c.Start(TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.InProgress, c.Status);
        Assert.Equal(
            [CaseAction.Register, CaseAction.Triage, CaseAction.Deliberate, CaseAction.Plan, CaseAction.Start],
            c.Events.Select(e => e.Action).ToArray());
        Assert.Equal([1, 2, 3, 4, 5], c.Events.Select(e => e.Sequence).ToArray());
    }

    [Fact]
    public void Plan_requires_plan_text()
    {
        var c = _b.InStatus(CaseStatus.Deliberating);
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() => c.Plan(" ", TestData.UnitA, TestData.Clerk, _b.Tick()));
        Assert.Equal("field.required", ex.Code);
        Assert.Equal("plan", ex.Field);
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Fact]
    public void Start_in_Planned_without_an_assignee_is_refused_until_one_is_assigned()
    {
        var c = _b.InStatus(CaseStatus.Deliberating);
        c.Plan("先调查再定", null, TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.Planned, c.Status);
        Assert.Null(c.AssigneeUnitId);
        var before = Snapshot.Of(c);

        var ex = Assert.Throws<DomainRuleException>(() => c.Start(TestData.Clerk, _b.Tick()));
        Assert.Equal("case.no-assignee", ex.Code);
        Assert.Equal(before, Snapshot.Of(c));

        c.Assign(TestData.UnitB, TestData.Clerk, _b.Tick());
        c.Start(TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.InProgress, c.Status);
    }
}
