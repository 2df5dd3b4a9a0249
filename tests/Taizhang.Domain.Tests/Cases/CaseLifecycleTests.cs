using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>The transition table, checked exhaustively: every (state, action) pair.</summary>
public sealed class CaseLifecycleTests
{
    /// <summary>
    /// Transitions a caller can invoke on an existing case (Register creates one; AbsorbMerged is a
    /// side effect of Merge; ViewPersonalData records a viewing and is allowed in every state).
    /// </summary>
    public static readonly CaseAction[] InvocableActions =
        Enum.GetValues<CaseAction>().Where(a => a is not (CaseAction.Register or CaseAction.AbsorbMerged or CaseAction.ViewPersonalData)).ToArray();

    private static readonly CaseAction[] TopicOnly = [CaseAction.Deliberate, CaseAction.Plan, CaseAction.DeliberationOutcome, CaseAction.PlanProgress];

    public static TheoryData<CaseStatus, CaseAction> AllPairs()
    {
        var data = new TheoryData<CaseStatus, CaseAction>();
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            foreach (var action in InvocableActions)
            {
                data.Add(status, action);
            }
        }
        return data;
    }

    public static TheoryData<CaseStatus> AllStatuses()
    {
        var data = new TheoryData<CaseStatus>();
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            data.Add(status);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_pair_is_allowed_exactly_when_the_table_says_so(CaseStatus status, CaseAction action)
    {
        var b = new CaseBuilder();
        // The topic-only actions are tried on a topic in the states it shares with the direct track.
        var c = TopicOnly.Contains(action) && status is not (CaseStatus.Registered or CaseStatus.Triaged or CaseStatus.Rejected or CaseStatus.Merged)
            ? b.InTopicStatus(status)
            : b.InStatus(status);
        var allowed = Case.AllowedActions(status).Contains(action);
        if (allowed)
        {
            Prepare(b, c, action);
        }
        var before = Snapshot.Of(c);
        var at = b.Tick();

        if (allowed)
        {
            var expected = Invoke(b, c, action, at);
            Assert.Equal(expected ?? status, c.Status);
            Assert.Equal(before.Events + 1, c.Events.Count);
            Assert.Equal(c.Events.Count, c.EventCount);
            var e = c.Events[^1];
            Assert.Equal(action, e.Action);
            Assert.Equal(status, e.FromStatus);
            Assert.Equal(c.Status, e.ToStatus);
            Assert.Equal(before.Events + 1, e.Sequence);
            Assert.Equal(at, e.At);
            Assert.Equal(DateTimeKind.Utc, e.At.Kind);
            Assert.Equal(TestData.Clerk.Kind, e.ActorKind);
            Assert.Equal(TestData.Clerk.Id, e.ActorId);
            Assert.Equal(TestData.Clerk.Name, e.ActorName);
            Assert.Equal(at, c.UpdatedAt);
        }
        else
        {
            var ex = Assert.Throws<DomainRuleException>(() => Invoke(b, c, action, at));
            Assert.Equal("case.illegal-transition", ex.Code);
            Assert.Equal(status.ToString(), ex.Args["state"]);
            Assert.Equal(action.ToString(), ex.Args["action"]);
            Assert.Equal(before, Snapshot.Of(c));
        }
    }

    [Fact]
    public void Table_never_offers_Register_or_AbsorbMerged()
    {
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            var actions = Case.AllowedActions(status);
            Assert.DoesNotContain(CaseAction.Register, actions);
            Assert.DoesNotContain(CaseAction.AbsorbMerged, actions);
            Assert.Equal(actions.Count, actions.Distinct().Count());
        }
    }

    [Theory]
    // Direct track: Registered -triage-> (Triaged -assign->) Assigned -> InProgress -> Resolved -> FollowedUp.
    [InlineData(CaseStatus.Registered, CaseAction.Triage, true)]
    [InlineData(CaseStatus.Triaged, CaseAction.Assign, true)]
    [InlineData(CaseStatus.Assigned, CaseAction.Start, true)]
    [InlineData(CaseStatus.Assigned, CaseAction.Resolve, true)]
    [InlineData(CaseStatus.InProgress, CaseAction.Resolve, true)]
    [InlineData(CaseStatus.Resolved, CaseAction.FollowUp, true)]
    [InlineData(CaseStatus.Registered, CaseAction.Resolve, false)]
    [InlineData(CaseStatus.Triaged, CaseAction.Resolve, false)]
    [InlineData(CaseStatus.Registered, CaseAction.Assign, false)]
    [InlineData(CaseStatus.Registered, CaseAction.Start, false)]
    [InlineData(CaseStatus.Triaged, CaseAction.Start, false)]
    // Registered may be merged or rejected.
    [InlineData(CaseStatus.Registered, CaseAction.Merge, true)]
    [InlineData(CaseStatus.Registered, CaseAction.Reject, true)]
    // 退回 and 转办 happen while the unit has the case.
    [InlineData(CaseStatus.InProgress, CaseAction.Return, true)]
    [InlineData(CaseStatus.InProgress, CaseAction.Transfer, true)]
    [InlineData(CaseStatus.Registered, CaseAction.Return, false)]
    [InlineData(CaseStatus.Resolved, CaseAction.Return, false)]
    // Returned goes back to triage.
    [InlineData(CaseStatus.Returned, CaseAction.Triage, true)]
    [InlineData(CaseStatus.Returned, CaseAction.Start, false)]
    // Unsatisfied reopens.
    [InlineData(CaseStatus.Resolved, CaseAction.Reopen, true)]
    [InlineData(CaseStatus.FollowedUp, CaseAction.Reopen, true)]
    [InlineData(CaseStatus.FollowedUp, CaseAction.FollowUp, false)]
    // Topic track: Ledgered -> Deliberating -> Planned -> InProgress.
    [InlineData(CaseStatus.Ledgered, CaseAction.Deliberate, true)]
    [InlineData(CaseStatus.Deliberating, CaseAction.Plan, true)]
    [InlineData(CaseStatus.Planned, CaseAction.Start, true)]
    [InlineData(CaseStatus.Ledgered, CaseAction.Assign, false)]
    [InlineData(CaseStatus.Ledgered, CaseAction.Plan, false)]
    [InlineData(CaseStatus.Ledgered, CaseAction.Start, false)]
    [InlineData(CaseStatus.Registered, CaseAction.Deliberate, false)]
    [InlineData(CaseStatus.Triaged, CaseAction.Deliberate, false)]
    public void Table_matches_the_product_lifecycle_on_key_paths(CaseStatus status, CaseAction action, bool allowed) =>
        Assert.Equal(allowed, Case.AllowedActions(status).Contains(action));

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void FollowUp_is_allowed_only_from_Resolved(CaseStatus status) =>
        Assert.Equal(status == CaseStatus.Resolved, Case.AllowedActions(status).Contains(CaseAction.FollowUp));

    [Theory]
    [InlineData(CaseStatus.Rejected)]
    [InlineData(CaseStatus.Merged)]
    public void Rejected_and_Merged_allow_nothing(CaseStatus status) =>
        Assert.Empty(Case.AllowedActions(status));

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void Open_statuses_are_exactly_the_unfinished_ones(CaseStatus status)
    {
        var closed = status is CaseStatus.Resolved or CaseStatus.FollowedUp or CaseStatus.Rejected or CaseStatus.Merged;
        Assert.Equal(!closed, Lifecycle.IsOpen(status));
        Assert.Equal(!closed, Lifecycle.OpenStatuses.Contains(status));
    }

    [Fact]
    public void Every_status_is_reachable_and_every_open_status_has_a_way_forward()
    {
        var b = new CaseBuilder();
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            var c = b.InStatus(status);
            Assert.Equal(status, c.Status);
            if (Lifecycle.IsOpen(status))
            {
                Assert.Contains(Case.AllowedActions(status), a => a is not (CaseAction.AddReporter or CaseAction.AddAttachment));
            }
        }
    }

    /// <summary>Calls the method for <paramref name="action"/>; returns the state it should lead to (null: unchanged).</summary>
    /// <summary>What an action needs beyond the state: a decision needs a request, resuming needs a suspension.</summary>
    private static void Prepare(CaseBuilder b, Case c, CaseAction action)
    {
        // The responsible unit asks; the clerk decides (nobody decides their own request).
        var by = new Actor(ActorKind.User, "u-unit", "承办人");
        switch (action)
        {
            case CaseAction.DecideExtension:
                c.RequestExtension(TestData.Due.LocalDate(c.DueAt).AddDays(5), "需协调上级部门", TestData.Due, by, b.Tick());
                break;
            case CaseAction.DecideSuspension:
                c.RequestSuspension("等待法院判决", by, b.Tick());
                break;
            case CaseAction.Resume:
                c.RequestSuspension("等待法院判决", by, b.Tick());
                c.DecideSuspension(true, null, false, TestData.Clerk, b.Tick());
                break;
        }
    }

    private static CaseStatus? Invoke(CaseBuilder b, Case c, CaseAction action, DateTime at)
    {
        var by = TestData.Clerk;
        switch (action)
        {
            case CaseAction.Triage:
                c.Triage(Track.Direct, c.Urgency, null, null, TestData.Due, by, at);
                return CaseStatus.Triaged;
            case CaseAction.Assign:
                c.Assign(TestData.UnitB, by, at);
                return CaseStatus.Assigned;
            case CaseAction.Start:
                c.Start(by, at);
                return CaseStatus.InProgress;
            case CaseAction.Return:
                c.Return("需要上级协调", by, at);
                return CaseStatus.Returned;
            case CaseAction.Transfer:
                c.Transfer(TestData.UnitB, "属于派出所职责", by, at);
                return CaseStatus.Assigned;
            case CaseAction.Resolve:
                c.Resolve(Outcome.Solved, "已更换灯具", by, at);
                return CaseStatus.Resolved;
            case CaseAction.FollowUp:
                c.FollowUp(Satisfaction.Satisfied, null, TestData.Due, by, at);
                return CaseStatus.FollowedUp;
            case CaseAction.Reopen:
                c.Reopen("群众再次反映", TestData.Due, by, at);
                return CaseStatus.Reopened;
            case CaseAction.Reject:
                c.Reject("不属于受理范围", by, at);
                return CaseStatus.Rejected;
            case CaseAction.Merge:
                c.MergeInto(b.Register(at: at), null, by, at);
                return CaseStatus.Merged;
            case CaseAction.AddReporter:
                c.AddReporter(new ReporterInfo("李四", "13999999999"), by, at);
                return null;
            case CaseAction.AddAttachment:
                c.AddAttachment(null, "现场照片.jpg", "image/jpeg", 1234, new string('a', 64), by, at);
                return null;
            case CaseAction.Deliberate:
            {
                var from = c.Status;
                c.Deliberate(null, by, at);
                return from == CaseStatus.Ledgered ? CaseStatus.Deliberating : null;
            }
            case CaseAction.Plan:
            {
                var from = c.Status;
                c.Plan("拟定方案", TestData.UnitB, by, at);
                return from == CaseStatus.Deliberating ? CaseStatus.Planned : null;
            }
            case CaseAction.DeliberationOutcome:
                c.RecordDeliberationOutcome(5, 1, DeliberationOutcomeKind.Opinion, "同意实施", null, null, null, null, null, by, at);
                return null;
            case CaseAction.PlanProgress:
                c.RecordPlanProgress(1, "勘测选址", 50, false, null, by, at);
                return null;
            case CaseAction.Mediate:
                c.RecordMediation(MediationStep.Session, new { session = 1 }, by, at);
                return null;
            case CaseAction.Disclose:
                c.Disclose(1, DisclosureKind.Decision, new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 8), by, at);
                return null;
            case CaseAction.RecordMeasures:
                c.RecordMeasures(new Dictionary<string, int> { ["jobs"] = 3 }, by, at);
                return null;
            case CaseAction.RequestExtension:
                c.RequestExtension(TestData.Due.LocalDate(c.DueAt).AddDays(5), "需协调上级部门", TestData.Due, by, at);
                return null;
            case CaseAction.DecideExtension:
                c.DecideExtension(true, null, false, by, at);
                return null;
            case CaseAction.RequestSuspension:
                c.RequestSuspension("等待法院判决", by, at);
                return null;
            case CaseAction.DecideSuspension:
                c.DecideSuspension(true, null, false, by, at);
                return null;
            case CaseAction.Resume:
                c.Resume(null, by, at);
                return null;
            case CaseAction.Remind:
                c.Remind("请尽快办理", false, by, at);
                return null;
            case CaseAction.Notify:
                c.Notify("逾期未办结，予以通报", false, by, at);
                return null;
            case CaseAction.Supervise:
                c.Supervise(SupervisionLevel.Yellow, TestData.Due.LocalDate(at).AddDays(3), "限期办结", TestData.Due, by, at);
                return null;
            case CaseAction.Contact:
                c.Contact("已电话联系", TimeSpan.FromHours(24), by, at);
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }
}
