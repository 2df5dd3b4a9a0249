using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>Following up with the resident and reopening: the new due date, the reopen count and which result satisfaction belongs to.</summary>
public sealed class CaseFollowUpTests
{
    private readonly CaseBuilder _b = new();

    [Fact]
    public void FollowUp_refuses_a_too_long_note()
    {
        var c = _b.InStatus(CaseStatus.Resolved);
        var before = Snapshot.Of(c);
        var ex = Assert.Throws<DomainRuleException>(() => c.FollowUp(Satisfaction.Satisfied,
            new string('注', Case.ReasonMaxLength + 1), TestData.Due, TestData.Clerk, _b.Tick()));
        Assert.Equal("field.too-long", ex.Code);
        Assert.Equal("note", ex.Field);
        Assert.Equal(before, Snapshot.Of(c));
    }

    [Fact]
    public void Unsatisfied_follow_up_reopens_with_a_new_due_date_from_the_follow_up_time()
    {
        var c = _b.InStatus(CaseStatus.Resolved);
        Assert.NotNull(c.Outcome);
        Assert.NotNull(c.Result);
        Assert.NotNull(c.ResolvedAt);
        var followUpAt = TestData.ShanghaiTime(2026, 10, 12, 10); // Monday

        c.FollowUp(Satisfaction.Unsatisfied, "灯又坏了", TestData.Due, TestData.Clerk, followUpAt);

        Assert.Equal(CaseStatus.Reopened, c.Status);
        Assert.Equal(1, c.ReopenCount);
        Assert.Equal(Satisfaction.Unsatisfied, c.Satisfaction);
        Assert.Null(c.Outcome);
        Assert.Null(c.Result);
        Assert.Null(c.ResolvedAt);
        Assert.Null(c.ClosedAt);
        // 7 working days after Mon 2026-10-12: 13, 14, 15, 16, 19, 20, 21 -> end of Wed 2026-10-21 Shanghai.
        Assert.Equal(TestData.Utc(2026, 10, 21, 16), c.DueAt);
        Assert.Equal(TestData.Due.DueAt(c.Urgency, followUpAt), c.DueAt);
        var e = c.Events[^1];
        Assert.Equal((CaseAction.FollowUp, CaseStatus.Resolved, CaseStatus.Reopened, "灯又坏了"),
            (e.Action, (CaseStatus)e.FromStatus!, e.ToStatus, e.Reason));
        Assert.Contains("\"reopened\":true", e.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Reopen_of_a_closed_case_clears_the_closure_and_counts()
    {
        var c = _b.InStatus(CaseStatus.FollowedUp);
        Assert.NotNull(c.ClosedAt);
        var at = TestData.ShanghaiTime(2026, 10, 12, 10);

        c.Reopen("领导复查", TestData.Due, TestData.Clerk, at);

        Assert.Equal(CaseStatus.Reopened, c.Status);
        Assert.Equal(1, c.ReopenCount);
        Assert.Null(c.ClosedAt);
        Assert.Null(c.ResolvedAt);
        Assert.Equal(TestData.Utc(2026, 10, 21, 16), c.DueAt);
        Assert.Equal((CaseAction.Reopen, "领导复查"), (c.Events[^1].Action, c.Events[^1].Reason));
    }

    [Fact]
    public void A_second_reopen_counts_twice_and_urgency_change_on_retriage_runs_from_that_triage()
    {
        var c = _b.InStatus(CaseStatus.Reopened);
        c.Triage(Track.Direct, c.Urgency, null, TestData.UnitA, TestData.Due, TestData.Clerk, _b.Tick());
        c.Resolve(Outcome.Explained, "已解释", TestData.Clerk, _b.Tick());
        c.FollowUp(Satisfaction.Unsatisfied, null, TestData.Due, TestData.Clerk, _b.Tick());
        Assert.Equal(2, c.ReopenCount);

        var triageAt = TestData.ShanghaiTime(2026, 10, 12, 9);
        c.Triage(Track.Direct, Urgency.High, null, null, TestData.Due, TestData.Clerk, triageAt);
        Assert.Equal(TestData.Utc(2026, 10, 15, 16), c.DueAt); // 3 working days after Mon 2026-10-12
    }

    [Fact]
    public void Satisfaction_belongs_to_the_current_result()
    {
        var c = _b.InStatus(CaseStatus.FollowedUp);
        Assert.NotNull(c.Satisfaction);
        c.Reopen("群众再次反映", TestData.Due, TestData.Clerk, _b.Tick());
        Assert.Null(c.Satisfaction);

        var unsatisfied = _b.InStatus(CaseStatus.Reopened);
        Assert.Equal(Satisfaction.Unsatisfied, unsatisfied.Satisfaction);
        unsatisfied.Assign(TestData.Village, TestData.Clerk, _b.Tick());
        unsatisfied.Resolve(Outcome.Solved, "重新修好", TestData.Clerk, _b.Tick());
        Assert.Null(unsatisfied.Satisfaction);
    }
}
