using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>The stages (queues) of the lifecycle: every status in exactly one, and each waits for someone who can act.</summary>
public sealed class LifecycleStageTests
{
    public static TheoryData<CaseStatus> AllStatuses() => new(Enum.GetValues<CaseStatus>());

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Every_status_is_in_exactly_one_stage(CaseStatus status)
    {
        var stages = Enum.GetValues<CaseStage>().Where(s => Lifecycle.StatusesOf(s).Contains(status)).ToList();
        Assert.Equal([Lifecycle.StageOf(status)], stages);
    }

    [Fact]
    public void Every_stage_has_a_status() =>
        Assert.All(Enum.GetValues<CaseStage>(), s => Assert.NotEmpty(Lifecycle.StatusesOf(s)));

    [Fact]
    public void The_office_queues_are_what_their_action_allows()
    {
        // Awaiting triage: every status that triage may take, except a triaged case (re-triage is not waiting).
        Assert.Equal([CaseStatus.Registered, CaseStatus.Returned, CaseStatus.Reopened], Lifecycle.StatusesOf(CaseStage.AwaitingTriage));
        Assert.All(Lifecycle.StatusesOf(CaseStage.AwaitingTriage), s => Assert.Contains(CaseAction.Triage, Case.AllowedActions(s)));
        // A case triaged without a unit waits for assignment, and assignment is allowed there.
        Assert.Equal([CaseStatus.Triaged], Lifecycle.StatusesOf(CaseStage.AwaitingAssignment));
        Assert.Contains(CaseAction.Assign, Case.AllowedActions(CaseStatus.Triaged));
        // Returned allows no assignment: it is not in the assignment queue.
        Assert.DoesNotContain(CaseAction.Assign, Case.AllowedActions(CaseStatus.Returned));
        Assert.Equal([CaseStatus.Resolved], Lifecycle.StatusesOf(CaseStage.AwaitingFollowUp));
    }

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void An_open_stage_always_offers_an_action_that_someone_can_take(CaseStatus status)
    {
        if (!Lifecycle.IsOpen(status))
        {
            return;
        }
        var forward = Case.AllowedActions(status).Where(a => a is not (CaseAction.AddReporter or CaseAction.AddAttachment)).ToList();
        Assert.NotEmpty(forward);
        Assert.Contains(forward, a => Enum.GetValues<Role>().Any(r => Permissions.Allows(r, Permissions.For(a))));
    }

    [Fact]
    public void Due_soon_is_open_due_within_the_window_and_not_yet_overdue()
    {
        var now = new DateTime(2026, 12, 6, 2, 0, 0, DateTimeKind.Utc);
        Assert.True(Lifecycle.IsDueSoon(CaseStatus.Assigned, now.AddHours(23), now));
        Assert.True(Lifecycle.IsDueSoon(CaseStatus.Assigned, now + Lifecycle.DueSoonWindow, now));
        Assert.False(Lifecycle.IsDueSoon(CaseStatus.Assigned, now.AddHours(25), now));
        Assert.False(Lifecycle.IsDueSoon(CaseStatus.Assigned, now, now)); // overdue, not due soon
        Assert.True(Lifecycle.IsOverdue(CaseStatus.Assigned, now, now));
        Assert.False(Lifecycle.IsDueSoon(CaseStatus.Resolved, now.AddHours(1), now));
        Assert.False(Lifecycle.IsOverdue(CaseStatus.FollowedUp, now.AddHours(-1), now));
    }
}
