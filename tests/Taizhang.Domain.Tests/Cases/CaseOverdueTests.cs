using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>Overdue and on time: both measured against the same due instant.</summary>
public sealed class CaseOverdueTests
{
    private readonly CaseBuilder _b = new();

    [Fact]
    public void IsOverdue_turns_true_at_the_due_instant_for_an_open_case()
    {
        var c = _b.Register();
        Assert.False(c.IsOverdue(c.DueAt.AddTicks(-1)));
        Assert.False(c.IsOverdue(c.RegisteredAt));
        Assert.True(c.IsOverdue(c.DueAt));
        Assert.True(c.IsOverdue(c.DueAt.AddDays(3)));
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.FollowedUp)]
    [InlineData(CaseStatus.Rejected)]
    [InlineData(CaseStatus.Merged)]
    public void Closed_cases_are_never_overdue(CaseStatus status)
    {
        var c = _b.InStatus(status);
        Assert.False(c.IsOverdue(c.DueAt.AddYears(1)));
    }

    [Theory]
    [InlineData(CaseStatus.Triaged)]
    [InlineData(CaseStatus.Assigned)]
    [InlineData(CaseStatus.InProgress)]
    [InlineData(CaseStatus.Returned)]
    [InlineData(CaseStatus.Reopened)]
    [InlineData(CaseStatus.Planned)]
    public void Open_cases_past_due_are_overdue(CaseStatus status)
    {
        var c = _b.InStatus(status);
        Assert.True(c.IsOverdue(c.DueAt.AddMinutes(1)));
        Assert.False(c.IsOverdue(c.DueAt.AddMinutes(-1)));
    }

    [Theory]
    [InlineData(CaseStatus.Ledgered)]
    [InlineData(CaseStatus.Deliberating)]
    public void A_topic_in_deliberation_is_never_overdue_by_the_service_level(CaseStatus status)
    {
        // Its clock is its plan's: once planned, the due date follows the plan and runs again.
        var c = _b.InStatus(status);
        Assert.False(c.IsOverdue(c.DueAt.AddDays(30)));
        Assert.False(Lifecycle.IsDueSoon(c.Status, c.DueAt, c.DueAt.AddHours(-1)));
        Assert.True(Lifecycle.IsOpen(c.Status));
    }

    [Fact]
    public void A_plan_with_a_last_target_date_sets_the_due_date_and_the_clock_runs_again()
    {
        var c = _b.InStatus(CaseStatus.Deliberating);
        var at = c.DueAt.AddDays(10);
        var target = TestData.Due.LocalDate(at).AddDays(20);
        c.Plan("分两步实施", TestData.UnitA, TestData.Clerk, at, TestData.Due, target);
        Assert.Equal(TestData.Due.EndOfLocalDay(target), c.DueAt);
        Assert.False(c.IsOverdue(at));
        Assert.True(c.IsOverdue(c.DueAt.AddMinutes(1)));
    }

    [Fact]
    public void Resolve_payload_says_whether_it_was_on_time()
    {
        var late = _b.InStatus(CaseStatus.InProgress);
        late.Resolve(Outcome.Solved, "修好", TestData.Clerk, late.DueAt.AddHours(1));
        Assert.Contains("\"onTime\":false", late.Events[^1].Payload, StringComparison.Ordinal);

        var early = _b.InStatus(CaseStatus.InProgress);
        early.Resolve(Outcome.Solved, "修好", TestData.Clerk, early.DueAt.AddHours(-1));
        Assert.Contains("\"onTime\":true", early.Events[^1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_exactly_at_the_due_instant_is_late_as_overdue_says()
    {
        var c = _b.InStatus(CaseStatus.InProgress);
        Assert.True(c.IsOverdue(c.DueAt));
        c.Resolve(Outcome.Solved, "修好", TestData.Clerk, c.DueAt);
        Assert.Contains("\"onTime\":false", c.Events[^1].Payload, StringComparison.Ordinal);
    }
}
