using static Taizhang.Domain.Guard;

namespace Taizhang.Domain.Cases;

/// <summary>
/// The deadline practice of 12345 offices (PRODUCT.md "Deadlines and supervision"): 延期 and 挂起
/// asked for by the responsible unit and decided by the office (a second one of a kind needs a
/// leader), 催办 and 通报, 督办 with a level, and the first contact with the reporter. Each is an event
/// with its actor, reason and time; only an approval moves the due date or stops the clock.
/// </summary>
public sealed partial class Case
{
    public const int NoteMaxLength = 1000;

    /// <summary>延期 asked for and not yet decided: the due date asked for (end of that local day, UTC).</summary>
    public DateTime? ExtensionRequestedDueAt { get; private set; }

    /// <summary>Who asked for the extension waiting for a decision (an actor id): they may not decide it themselves.</summary>
    public string? ExtensionRequestedBy { get; private set; }

    /// <summary>Extensions approved so far (a second needs a leader).</summary>
    public int ExtensionCount { get; private set; }

    /// <summary>挂起 asked for and not yet decided, or in force: the stated reason (listed with the case).</summary>
    public string? SuspensionReason { get; private set; }

    /// <summary>When the 挂起 was asked for, while it waits for a decision.</summary>
    public DateTime? SuspensionRequestedAt { get; private set; }

    /// <summary>Who asked for the suspension waiting for a decision (an actor id): they may not decide it themselves.</summary>
    public string? SuspensionRequestedBy { get; private set; }

    /// <summary>Since when the clock is stopped (an approved 挂起); null when it runs.</summary>
    public DateTime? SuspendedAt { get; private set; }

    /// <summary>Suspensions approved so far (a second needs a leader).</summary>
    public int SuspensionCount { get; private set; }

    /// <summary>Whole seconds the clock stood still over all ended suspensions (the due date moved by as much).</summary>
    public long SuspendedSeconds { get; private set; }

    /// <summary>催办 sent, by staff or the deadline watch.</summary>
    public int ReminderCount { get; private set; }

    public DateTime? LastRemindedAt { get; private set; }

    /// <summary>The due date the last automatic reminder was about: the watch sends one per due date, never twice.</summary>
    public DateTime? AutoRemindedDueAt { get; private set; }

    /// <summary>通报 sent.</summary>
    public int NoticeCount { get; private set; }

    /// <summary>The due date the last automatic notice was about (one per due date).</summary>
    public DateTime? AutoNoticedDueAt { get; private set; }

    /// <summary>督办: the current level, null when the case is not supervised.</summary>
    public SupervisionLevel? SupervisionLevel { get; private set; }

    /// <summary>The supervision's deadline (end of that local day, UTC).</summary>
    public DateTime? SupervisionDueAt { get; private set; }

    /// <summary>退回 by a unit, counted (the return rate).</summary>
    public int ReturnCount { get; private set; }

    /// <summary>The first contact with the reporter (联系群众).</summary>
    public DateTime? ContactedAt { get; private set; }

    /// <summary>Whether the first contact was within the response window in force then (the response rate).</summary>
    public bool ContactedInTime { get; private set; }

    /// <summary>At the last return visit: did the resident say the matter is solved (the 12345 resolution rate)? Null: not asked.</summary>
    public bool? ResolvedByResident { get; private set; }

    /// <summary>Whether the clock is stopped.</summary>
    public bool IsSuspended => SuspendedAt is not null;

    /// <summary>延期申请: before the due date, a later date and a reason; one request at a time.</summary>
    public void RequestExtension(DateOnly newDueDate, string reason, Calendar.DuePolicy due, Actor by, DateTime at)
    {
        Ensure(CaseAction.RequestExtension, at);
        RequireText(reason, ReasonMaxLength, "reason");
        RequireNoPendingRequest();
        if (IsSuspended)
        {
            throw new DomainRuleException("deadline.suspended", "The case is suspended; its clock is stopped.");
        }
        if (at >= DueAt)
        {
            throw new DomainRuleException("deadline.extension-after-due", "An extension is asked for before the due date.", field: "dueDate");
        }
        var until = due.EndOfLocalDay(newDueDate);
        if (newDueDate <= due.LocalDate(DueAt))
        {
            throw new DomainRuleException("deadline.extension-not-later", "The new due date must be after the current one.", field: "dueDate");
        }
        ExtensionRequestedDueAt = until;
        ExtensionRequestedBy = by.Id;
        Append(by, at, CaseAction.RequestExtension, Status, reason, new { dueAt = DueAt, requestedDueAt = until, newDueDate });
    }

    /// <summary>
    /// 延期审批, by someone other than who asked. <paramref name="mayApproveRepeat"/>: the approver is a
    /// leader (a second approved extension of the same case needs one, as does one longer than
    /// <paramref name="maxDaysWithoutLeader"/> days). A refusal needs a reason. Like a suspension, an extension is
    /// approved only before the due date (after it, it may only be refused).
    /// </summary>
    public void DecideExtension(bool approve, string? note, bool mayApproveRepeat, Actor by, DateTime at, int maxDaysWithoutLeader = int.MaxValue)
    {
        Ensure(CaseAction.DecideExtension, at);
        OptionalText(note, NoteMaxLength, "note");
        if (ExtensionRequestedDueAt is not { } requested)
        {
            throw new DomainRuleException("deadline.no-extension-request", "No extension has been asked for.");
        }
        if (!approve && string.IsNullOrWhiteSpace(note))
        {
            throw new DomainRuleException("deadline.refusal-reason", "A refusal says why.", field: "note");
        }
        RequireAnotherDecider(ExtensionRequestedBy, by);
        if (approve && ExtensionCount >= 1 && !mayApproveRepeat)
        {
            throw new DomainRuleException("deadline.repeat-needs-leader", "A second extension of the same case is approved by a leader.");
        }
        if (approve && at >= DueAt)
        {
            // Asked in time but decided after the due date: moving the date now would turn the delay the case has already
            // run up into "on time" (the office could sit on a request and approve it later). Refuse it, and chase the case.
            throw new DomainRuleException("deadline.extension-approved-after-due", "An extension is approved before the due date.");
        }
        if (approve && !mayApproveRepeat && (requested - DueAt).TotalDays > maxDaysWithoutLeader)
        {
            throw new DomainRuleException("deadline.long-needs-leader", $"An extension of more than {maxDaysWithoutLeader} days is approved by a leader.",
                new Dictionary<string, string> { ["days"] = maxDaysWithoutLeader.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        var previous = DueAt;
        ExtensionRequestedDueAt = null;
        ExtensionRequestedBy = null;
        if (approve)
        {
            DueAt = requested;
            ExtensionCount++;
        }
        Append(by, at, CaseAction.DecideExtension, Status, note, new { approved = approve, previousDueAt = previous, dueAt = DueAt, extensions = ExtensionCount });
    }

    /// <summary>挂起申请: the clock is asked to stop for a stated reason (waiting for a court, a season, funds).</summary>
    public void RequestSuspension(string reason, Actor by, DateTime at)
    {
        Ensure(CaseAction.RequestSuspension, at);
        RequireText(reason, ReasonMaxLength, "reason");
        RequireNoPendingRequest();
        if (IsSuspended)
        {
            throw new DomainRuleException("deadline.suspended", "The case is suspended; its clock is stopped.");
        }
        if (at >= DueAt)
        {
            // An overdue case is chased (催办), not stopped: a suspension would erase the delay.
            throw new DomainRuleException("deadline.suspension-after-due", "A suspension is asked for before the due date.");
        }
        SuspensionReason = reason.Trim();
        SuspensionRequestedAt = at;
        SuspensionRequestedBy = by.Id;
        Append(by, at, CaseAction.RequestSuspension, Status, reason, new { dueAt = DueAt });
    }

    /// <summary>挂起审批: approved, the clock stops now; refused (with a reason), it runs on.</summary>
    public void DecideSuspension(bool approve, string? note, bool mayApproveRepeat, Actor by, DateTime at)
    {
        Ensure(CaseAction.DecideSuspension, at);
        OptionalText(note, NoteMaxLength, "note");
        if (SuspensionRequestedAt is null)
        {
            throw new DomainRuleException("deadline.no-suspension-request", "No suspension has been asked for.");
        }
        if (!approve && string.IsNullOrWhiteSpace(note))
        {
            throw new DomainRuleException("deadline.refusal-reason", "A refusal says why.", field: "note");
        }
        RequireAnotherDecider(SuspensionRequestedBy, by);
        if (approve && SuspensionCount >= 1 && !mayApproveRepeat)
        {
            throw new DomainRuleException("deadline.repeat-needs-leader", "A second suspension of the same case is approved by a leader.");
        }
        if (approve && at >= DueAt)
        {
            // Asked in time but decided after the due date: stopping the clock now would erase the delay (refuse, and chase).
            throw new DomainRuleException("deadline.suspension-after-due", "A suspension is approved before the due date.");
        }
        SuspensionRequestedAt = null;
        SuspensionRequestedBy = null;
        if (approve)
        {
            SuspendedAt = at;
            SuspensionCount++;
        }
        else
        {
            SuspensionReason = null;
        }
        Append(by, at, CaseAction.DecideSuspension, Status, note, new { approved = approve, reason = SuspensionReason, dueAt = DueAt });
    }

    /// <summary>恢复: the clock runs again and the due date moves by the time it stood still.</summary>
    public void Resume(string? note, Actor by, DateTime at)
    {
        Ensure(CaseAction.Resume, at);
        OptionalText(note, NoteMaxLength, "note");
        if (!IsSuspended)
        {
            throw new DomainRuleException("deadline.not-suspended", "The case is not suspended.");
        }
        var seconds = EndSuspension(at);
        Append(by, at, CaseAction.Resume, Status, note, new { suspendedSeconds = seconds, dueAt = DueAt });
    }

    /// <summary>
    /// 催办: a reminder to the responsible unit. <paramref name="automatic"/>: sent by the deadline watch
    /// for the current due date (once per due date, <see cref="AutoRemindedDueAt"/>).
    /// </summary>
    public void Remind(string? note, bool automatic, Actor by, DateTime at)
    {
        Ensure(CaseAction.Remind, at);
        OptionalText(note, NoteMaxLength, "note");
        RequireRunningClock();
        ReminderCount++;
        LastRemindedAt = at;
        if (automatic)
        {
            AutoRemindedDueAt = DueAt;
        }
        Append(by, at, CaseAction.Remind, Status, note, new { automatic, dueAt = DueAt, overdue = at >= DueAt, reminders = ReminderCount });
    }

    /// <summary>通报: a formal notice to the responsible unit's leader (after an unanswered reminder).</summary>
    public void Notify(string? note, bool automatic, Actor by, DateTime at)
    {
        Ensure(CaseAction.Notify, at);
        OptionalText(note, NoteMaxLength, "note");
        RequireRunningClock();
        if (!automatic && string.IsNullOrWhiteSpace(note))
        {
            throw new DomainRuleException("deadline.notice-text", "A notice says what it is about.", field: "note");
        }
        NoticeCount++;
        if (automatic)
        {
            AutoNoticedDueAt = DueAt;
        }
        Append(by, at, CaseAction.Notify, Status, note, new { automatic, dueAt = DueAt, notices = NoticeCount });
    }

    /// <summary>督办: a leader supervises the case with a level, a deadline and a note (again to change the level).</summary>
    public void Supervise(SupervisionLevel level, DateOnly deadline, string note, Calendar.DuePolicy due, Actor by, DateTime at)
    {
        Ensure(CaseAction.Supervise, at);
        RequireText(note, NoteMaxLength, "note");
        if (!Enum.IsDefined(level))
        {
            throw new DomainRuleException("deadline.supervision-level", "Unknown supervision level.", field: "level");
        }
        if (deadline < due.LocalDate(at))
        {
            throw new DomainRuleException("deadline.supervision-past", "The supervision deadline cannot be before today.", field: "deadline");
        }
        var previous = SupervisionLevel;
        SupervisionLevel = level;
        SupervisionDueAt = due.EndOfLocalDay(deadline);
        Append(by, at, CaseAction.Supervise, Status, note, new { level, previous, deadline, dueAt = SupervisionDueAt });
    }

    /// <summary>
    /// 联系群众: the reporter was contacted. The first contact counts for the response rate, in time when
    /// it came within <paramref name="responseWindow"/> of registration.
    /// </summary>
    public void Contact(string? note, TimeSpan responseWindow, Actor by, DateTime at)
    {
        Ensure(CaseAction.Contact, at);
        OptionalText(note, NoteMaxLength, "note");
        var first = ContactedAt is null;
        if (first)
        {
            ContactedAt = at;
            ContactedInTime = at <= RegisteredAt + responseWindow;
        }
        Append(by, at, CaseAction.Contact, Status, note, new { first, inTime = first ? ContactedInTime : (bool?)null });
    }

    private void RequireNoPendingRequest()
    {
        if (ExtensionRequestedDueAt is not null || SuspensionRequestedAt is not null)
        {
            throw new DomainRuleException("deadline.request-pending", "A request for this case is waiting for a decision.");
        }
    }

    /// <summary>Whoever asked does not decide: a request and its approval are two people's.</summary>
    private static void RequireAnotherDecider(string? requestedBy, Actor by)
    {
        if (requestedBy is not null && requestedBy == by.Id)
        {
            throw new DomainRuleException("deadline.own-request", "A request is decided by someone other than who asked for it.");
        }
    }

    private void RequireRunningClock()
    {
        if (IsSuspended)
        {
            throw new DomainRuleException("deadline.suspended", "The case is suspended; its clock is stopped.");
        }
    }

    /// <summary>
    /// Ends a suspension in force; returns the seconds it lasted (0 if none). The due date moves by the
    /// whole days the clock stood still (挂起 is counted in days, as the deadline is: a suspension of a few
    /// hours moves nothing, one of 2½ days moves it two days).
    /// </summary>
    private long EndSuspension(DateTime at)
    {
        if (SuspendedAt is not { } since)
        {
            return 0;
        }
        var seconds = Math.Max(0, (long)(at - since).TotalSeconds);
        SuspendedSeconds += seconds;
        DueAt = DueAt.AddDays(seconds / 86_400);
        SuspendedAt = null;
        SuspensionReason = null;
        return seconds;
    }

    /// <summary>A request waiting for a decision lapses when the case leaves the unit.</summary>
    private void ClearDeadlineRequests()
    {
        ExtensionRequestedDueAt = null;
        ExtensionRequestedBy = null;
        SuspensionRequestedBy = null;
        if (SuspensionRequestedAt is not null)
        {
            SuspensionRequestedAt = null;
            if (SuspendedAt is null)
            {
                SuspensionReason = null;
            }
        }
    }
}
