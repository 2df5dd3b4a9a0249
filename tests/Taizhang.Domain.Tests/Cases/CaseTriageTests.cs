using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>Triage: the track, assignment at triage, re-triage of returned cases and the due date urgency gives.</summary>
public sealed class CaseTriageTests
{
    private readonly CaseBuilder _b = new();

    [Fact]
    public void Triage_with_an_assignee_appends_Triage_then_Assign()
    {
        var c = _b.Register();
        var at = _b.Tick();
        c.Triage(Track.Direct, Urgency.Normal, null, TestData.UnitA, TestData.Due, TestData.Clerk, at);

        Assert.Equal(CaseStatus.Assigned, c.Status);
        Assert.Equal(Track.Direct, c.Track);
        Assert.Equal(TestData.UnitA, c.AssigneeUnitId);
        Assert.Equal(3, c.Events.Count);
        var triage = c.Events[1];
        var assign = c.Events[2];
        Assert.Equal((2, CaseAction.Triage, CaseStatus.Registered, CaseStatus.Triaged),
            (triage.Sequence, triage.Action, (CaseStatus)triage.FromStatus!, triage.ToStatus));
        Assert.Equal((3, CaseAction.Assign, CaseStatus.Triaged, CaseStatus.Assigned),
            (assign.Sequence, assign.Action, (CaseStatus)assign.FromStatus!, assign.ToStatus));
        Assert.Equal(at, triage.At);
        Assert.Equal(at, assign.At);
        Assert.Contains("\"assigneeUnitId\":101", assign.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Topic_triage_with_an_assignee_is_refused()
    {
        var c = _b.Register();
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() =>
            c.Triage(Track.Topic, Urgency.High, null, TestData.UnitA, TestData.Due, TestData.Clerk, _b.Tick()));
        Assert.Equal("case.topic-assign", ex.Code);
        Assert.Equal("assigneeUnit", ex.Field);
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Fact]
    public void Returned_case_can_be_triaged_and_assigned_again()
    {
        var c = _b.InStatus(CaseStatus.Returned);
        Assert.Null(c.AssigneeUnitId);
        c.Triage(Track.Direct, c.Urgency, null, TestData.UnitB, TestData.Due, TestData.Clerk, _b.Tick());
        Assert.Equal(CaseStatus.Assigned, c.Status);
        Assert.Equal(TestData.UnitB, c.AssigneeUnitId);
    }

    [Fact]
    public void Triage_changing_urgency_recomputes_due_from_registration()
    {
        var c = _b.Register(urgency: Urgency.Normal);
        Assert.Equal(TestData.Utc(2026, 10, 15, 16), c.DueAt);

        c.Triage(Track.Direct, Urgency.High, null, null, TestData.Due, TestData.Clerk, TestData.Utc(2026, 10, 8, 2));

        Assert.Equal(Urgency.High, c.Urgency);
        Assert.Equal(TestData.Utc(2026, 10, 10, 16), c.DueAt); // 3 working days from 2026-09-30, not from the triage day
        Assert.Contains("\"dueAt\":\"2026-10-10T16:00:00Z\"", c.Events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Triage_keeping_urgency_keeps_the_due_date()
    {
        var c = _b.Register(urgency: Urgency.Normal);
        var due = c.DueAt;
        c.Triage(Track.Direct, Urgency.Normal, null, null, TestData.Due, TestData.Clerk, TestData.Utc(2026, 10, 12, 2));
        Assert.Equal(due, c.DueAt);
    }
}
