using Taizhang.Domain.Cases;

namespace Taizhang.Domain.Tests.Cases;

/// <summary>延期, 挂起, 催办, 通报, 督办 and the first contact (PRODUCT.md "Deadlines and supervision").</summary>
public class CaseDeadlineTests
{
    private static readonly Actor By = TestData.Clerk;

    /// <summary>The responsible unit's handler: asks for time, which the clerk (<see cref="By"/>) decides.</summary>
    private static readonly Actor Unit = new(ActorKind.User, "u-9", "马家村 赵干部");

    private static (CaseBuilder B, Case C) InProgress()
    {
        var b = new CaseBuilder();
        return (b, b.InStatus(CaseStatus.InProgress));
    }

    private static DateOnly DueDate(Case c) => TestData.Due.LocalDate(c.DueAt);

    [Fact]
    public void An_approved_extension_moves_the_due_date_and_a_refused_one_does_not()
    {
        var (b, c) = InProgress();
        var due = c.DueAt;
        c.RequestExtension(DueDate(c).AddDays(10), "需要协调水务站", TestData.Due, Unit, b.Tick());
        Assert.Equal(due, c.DueAt);
        Assert.Equal(TestData.Due.EndOfLocalDay(DueDate(c).AddDays(10)), c.ExtensionRequestedDueAt);

        var refusal = Assert.Throws<DomainRuleException>(() => c.DecideExtension(false, " ", false, By, b.Tick()));
        Assert.Equal("deadline.refusal-reason", refusal.Code);
        c.DecideExtension(false, "理由不充分", false, By, b.Tick());
        Assert.Equal(due, c.DueAt);
        Assert.Null(c.ExtensionRequestedDueAt);
        Assert.Equal(0, c.ExtensionCount);

        c.RequestExtension(TestData.Due.LocalDate(due).AddDays(3), "材料待补", TestData.Due, Unit, b.Tick());
        c.DecideExtension(true, null, false, By, b.Tick());
        Assert.Equal(TestData.Due.EndOfLocalDay(TestData.Due.LocalDate(due).AddDays(3)), c.DueAt);
        Assert.Equal(1, c.ExtensionCount);
    }

    [Fact]
    public void A_second_extension_needs_a_leader()
    {
        var (b, c) = InProgress();
        c.RequestExtension(DueDate(c).AddDays(2), "一", TestData.Due, Unit, b.Tick());
        c.DecideExtension(true, null, false, By, b.Tick());
        c.RequestExtension(DueDate(c).AddDays(2), "二", TestData.Due, Unit, b.Tick());
        var ex = Assert.Throws<DomainRuleException>(() => c.DecideExtension(true, null, false, By, b.Tick()));
        Assert.Equal("deadline.repeat-needs-leader", ex.Code);
        Assert.NotNull(c.ExtensionRequestedDueAt);
        c.DecideExtension(true, null, mayApproveRepeat: true, By, b.Tick());
        Assert.Equal(2, c.ExtensionCount);
    }

    [Fact]
    public void An_extension_is_asked_for_before_the_due_date_and_for_a_later_one()
    {
        var (b, c) = InProgress();
        var earlier = Assert.Throws<DomainRuleException>(() => c.RequestExtension(DueDate(c), "同一天", TestData.Due, Unit, b.Tick()));
        Assert.Equal("deadline.extension-not-later", earlier.Code);
        var late = Assert.Throws<DomainRuleException>(() => c.RequestExtension(DueDate(c).AddDays(5), "已超期", TestData.Due, Unit, c.DueAt.AddMinutes(1)));
        Assert.Equal("deadline.extension-after-due", late.Code);
        c.RequestExtension(DueDate(c).AddDays(5), "待审批", TestData.Due, Unit, b.Tick());
        var twice = Assert.Throws<DomainRuleException>(() => c.RequestSuspension("又要挂起", Unit, b.Tick()));
        Assert.Equal("deadline.request-pending", twice.Code);
    }

    [Fact]
    public void A_suspension_stops_the_clock_and_resuming_moves_the_due_date_by_the_time_stopped()
    {
        var (b, c) = InProgress();
        var due = c.DueAt;
        c.RequestSuspension("等待法院判决", Unit, b.Tick());
        Assert.False(c.IsSuspended);
        var approvedAt = b.Tick();
        c.DecideSuspension(true, null, false, By, approvedAt);
        Assert.True(c.IsSuspended);
        Assert.Equal("等待法院判决", c.SuspensionReason);
        // Long past the due date, a suspended case is not overdue.
        var later = due.AddDays(20);
        Assert.False(c.IsOverdue(later));
        Assert.Throws<DomainRuleException>(() => c.Remind(null, false, By, later));
        c.Resume("判决已下达", By, later);
        Assert.False(c.IsSuspended);
        // The due date moves by the whole days the clock stood still.
        Assert.Equal(due.AddDays(Math.Floor((later - approvedAt).TotalDays)), c.DueAt);
        Assert.Equal((long)(later - approvedAt).TotalSeconds, c.SuspendedSeconds);
        Assert.False(c.IsOverdue(later));
    }

    [Fact]
    public void A_suspension_of_hours_moves_nothing_and_one_of_two_and_a_half_days_moves_two()
    {
        var (b, c) = InProgress();
        var due = c.DueAt;
        var at = b.Tick();
        c.RequestSuspension("等待材料", Unit, at);
        c.DecideSuspension(true, null, false, By, at.AddMinutes(1));
        c.Resume(null, By, at.AddHours(3));
        Assert.Equal(due, c.DueAt);
        c.RequestSuspension("等待资金", Unit, at.AddHours(4));
        c.DecideSuspension(true, null, true, By, at.AddHours(5));
        c.Resume(null, By, at.AddHours(5 + 60));
        Assert.Equal(due.AddDays(2), c.DueAt);
    }

    [Fact]
    public void Whoever_asked_does_not_decide()
    {
        var (b, c) = InProgress();
        c.RequestExtension(DueDate(c).AddDays(3), "自己申请", TestData.Due, By, b.Tick());
        var own = Assert.Throws<DomainRuleException>(() => c.DecideExtension(true, null, true, By, b.Tick()));
        Assert.Equal("deadline.own-request", own.Code);
        Assert.NotNull(c.ExtensionRequestedDueAt);
        c.DecideExtension(true, null, false, Unit, b.Tick());
        c.RequestSuspension("自己申请", By, b.Tick());
        Assert.Equal("deadline.own-request", Assert.Throws<DomainRuleException>(() => c.DecideSuspension(true, null, true, By, b.Tick())).Code);
    }

    [Fact]
    public void A_long_extension_needs_a_leader_and_an_overdue_case_is_not_suspended()
    {
        var (b, c) = InProgress();
        c.RequestExtension(DueDate(c).AddDays(40), "工期较长", TestData.Due, Unit, b.Tick());
        var ex = Assert.Throws<DomainRuleException>(() => c.DecideExtension(true, null, false, By, b.Tick(), maxDaysWithoutLeader: 30));
        Assert.Equal("deadline.long-needs-leader", ex.Code);
        Assert.Equal("30", ex.Args["days"]);
        c.DecideExtension(false, "请分段办理", false, By, b.Tick(), maxDaysWithoutLeader: 30);
        var late = Assert.Throws<DomainRuleException>(() => c.RequestSuspension("已超期", Unit, c.DueAt.AddHours(1)));
        Assert.Equal("deadline.suspension-after-due", late.Code);
    }

    [Fact]
    public void An_extension_asked_in_time_is_not_approved_after_the_due_date_but_may_be_refused()
    {
        // Found by an outside review: approved late, the extension turned a late case into an "on time" one.
        var (b, c) = InProgress();
        var due = c.DueAt;
        c.RequestExtension(DueDate(c).AddDays(5), "需等待施工队", TestData.Due, Unit, b.Tick());
        var late = Assert.Throws<DomainRuleException>(() => c.DecideExtension(true, null, true, By, due.AddHours(1)));
        Assert.Equal("deadline.extension-approved-after-due", late.Code);
        Assert.Equal(due, c.DueAt);
        Assert.NotNull(c.ExtensionRequestedDueAt);
        c.DecideExtension(false, "已超期，请抓紧办理", false, By, due.AddHours(2));
        Assert.Equal(due, c.DueAt);
        Assert.Null(c.ExtensionRequestedDueAt);
    }

    [Fact]
    public void A_suspension_asked_in_time_is_not_approved_after_the_due_date_but_may_be_refused()
    {
        // Found by an outside review: approved late, the suspension took an overdue case off the overdue lists.
        var (b, c) = InProgress();
        c.RequestSuspension("等法院判决", Unit, b.Tick());
        var late = Assert.Throws<DomainRuleException>(() => c.DecideSuspension(true, null, false, By, c.DueAt.AddHours(1)));
        Assert.Equal("deadline.suspension-after-due", late.Code);
        Assert.False(c.IsSuspended);
        Assert.NotNull(c.SuspensionRequestedAt);
        c.DecideSuspension(false, "已超期，请抓紧办理", false, By, c.DueAt.AddHours(2));
        Assert.False(c.IsSuspended);
        Assert.Null(c.SuspensionRequestedAt);
    }

    [Fact]
    public void Resolving_a_suspended_case_ends_the_suspension()
    {
        var (b, c) = InProgress();
        c.RequestSuspension("资金未到位", Unit, b.Tick());
        c.DecideSuspension(true, null, false, By, b.Tick());
        c.Resolve(Outcome.Solved, "已完成", By, b.Tick());
        Assert.False(c.IsSuspended);
        Assert.Null(c.SuspensionReason);
    }

    [Fact]
    public void Automatic_reminders_and_notices_record_the_due_date_they_were_about()
    {
        var (b, c) = InProgress();
        var at = c.DueAt.AddDays(1);
        c.Remind(null, automatic: true, By, at);
        Assert.Equal(c.DueAt, c.AutoRemindedDueAt);
        Assert.Equal(1, c.ReminderCount);
        Assert.Throws<DomainRuleException>(() => c.Notify(" ", automatic: false, By, at));
        c.Notify(null, automatic: true, By, at.AddDays(7));
        Assert.Equal(c.DueAt, c.AutoNoticedDueAt);
        Assert.Equal(1, c.NoticeCount);
        Assert.Contains("\"automatic\":true", c.Events[^1].Payload);
    }

    [Fact]
    public void Supervision_has_a_level_a_deadline_and_a_note()
    {
        var (b, c) = InProgress();
        var at = b.Tick();
        var past = Assert.Throws<DomainRuleException>(() => c.Supervise(SupervisionLevel.Red, TestData.Due.LocalDate(at).AddDays(-1), "限期", TestData.Due, By, at));
        Assert.Equal("deadline.supervision-past", past.Code);
        c.Supervise(SupervisionLevel.Yellow, TestData.Due.LocalDate(at).AddDays(3), "黄牌督办", TestData.Due, By, at);
        Assert.Equal(SupervisionLevel.Yellow, c.SupervisionLevel);
        Assert.Equal(TestData.Due.EndOfLocalDay(TestData.Due.LocalDate(at).AddDays(3)), c.SupervisionDueAt);
        Assert.Equal(c.AssigneeUnitId, c.Events[^1].UnitId);
    }

    [Fact]
    public void The_first_contact_counts_for_the_response_window()
    {
        var b = new CaseBuilder();
        var c = b.Register();
        c.Contact("电话联系", TimeSpan.FromHours(2), By, c.RegisteredAt.AddHours(3));
        Assert.False(c.ContactedInTime);
        c.Contact("再次联系", TimeSpan.FromHours(24), By, c.RegisteredAt.AddHours(4));
        Assert.False(c.ContactedInTime);
        Assert.Equal(c.RegisteredAt.AddHours(3), c.ContactedAt);
    }

    [Fact]
    public void A_return_is_counted_and_recorded_against_the_unit_that_returned_it()
    {
        var (b, c) = InProgress();
        var unit = c.AssigneeUnitId;
        c.RequestExtension(DueDate(c).AddDays(3), "待审批", TestData.Due, Unit, b.Tick());
        c.Return("不属于本单位职责", By, b.Tick());
        Assert.Equal(1, c.ReturnCount);
        Assert.Equal(unit, c.Events[^1].UnitId);
        Assert.Null(c.ExtensionRequestedDueAt);
    }
}
