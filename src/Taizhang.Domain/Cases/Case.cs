using System.Text.Json;
using Taizhang.Domain.Calendar;
using static Taizhang.Domain.Guard;

namespace Taizhang.Domain.Cases;

/// <summary>
/// 事项: one matter raised by one or more residents, from registration to the return visit.
/// Every state change goes through a method here that checks the current state, changes it,
/// and appends a <see cref="CaseEvent"/> — in that one method. See Features/Cases/README.md.
/// </summary>
public sealed partial class Case
{
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 4000;
    public const int ReasonMaxLength = 1000;
    public const int ResultMaxLength = 4000;
    public const int PublicReplyMaxLength = 1000;

    private readonly List<CaseReporter> _reporters = [];
    private readonly List<CaseEvent> _events = [];

    private Case()
    {
        TrackingCode = Title = Description = string.Empty;
    }

    public long Id { get; private set; }

    /// <summary>The town the case belongs to: the distribution key when the ledger is sharded.</summary>
    public long TownId { get; private set; }

    /// <summary>The village or community (or town) the matter is about.</summary>
    public long OrgUnitId { get; private set; }

    public string TrackingCode { get; private set; }
    public Channel Channel { get; private set; }
    public string Title { get; private set; }
    public string Description { get; private set; }
    public long? CategoryId { get; private set; }
    public Urgency Urgency { get; private set; }
    public Track? Track { get; private set; }
    public CaseStatus Status { get; private set; }
    public long? AssigneeUnitId { get; private set; }
    public GeoLocation? Location { get; private set; }
    public string? ExternalRef { get; private set; }

    /// <summary>
    /// The API client (integration) that registered the case: an <see cref="ExternalRef"/> is that
    /// system's own ticket number, unique among its cases, and means nothing to anyone else's.
    /// </summary>
    public long? SourceClientId { get; private set; }
    public string? IdempotencyKey { get; private set; }
    public long? MeetingId { get; private set; }

    /// <summary>
    /// 匿名: the resident asked not to be named. No reporter of the registration carries a name; a
    /// phone number left for the return visit is kept (as a reporter without a name).
    /// </summary>
    public bool Anonymous { get; private set; }

    /// <summary>
    /// A keyed hash of the 评价码 the resident was given at registration (never the code itself): the
    /// proof asked for a self-service rating on the public tracking page. Null for cases registered
    /// before rating codes existed.
    /// </summary>
    public string? RatingCodeHash { get; private set; }

    public DateTime RegisteredAt { get; private set; }
    public DateTime DueAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }
    public DateTime? ResolvedAt { get; private set; }
    public DateTime? ClosedAt { get; private set; }
    public Outcome? Outcome { get; private set; }
    public string? Result { get; private set; }

    /// <summary>
    /// 答复意见: what the resident is told about the result, shown on the public tracking page with the
    /// <see cref="Outcome"/>. Optional; <see cref="Result"/> (the internal record of what was done) is never public.
    /// </summary>
    public string? PublicReply { get; private set; }
    public Satisfaction? Satisfaction { get; private set; }
    public string? HandlingPlan { get; private set; }
    public long? MergedIntoId { get; private set; }
    public int ReopenCount { get; private set; }

    /// <summary>
    /// Return visits recorded (回访), whatever their verdict: a visit that happened stays counted when a
    /// later reopening or a new result clears <see cref="Satisfaction"/> (the follow-up rate).
    /// </summary>
    public int FollowUpCount { get; private set; }

    /// <summary>Events appended so far; also the optimistic-concurrency token of the case.</summary>
    public int EventCount { get; private set; }

    /// <summary>
    /// The <see cref="CaseEvent.Hash"/> of the last event: the head of the case's hash chain, kept
    /// on the case so a transition can seal its event without loading the timeline, and so that
    /// deleting the last event shows. Null for a case whose events predate the chain.
    /// </summary>
    public string? LastEventHash { get; private set; }

    public IReadOnlyList<CaseReporter> Reporters => _reporters;
    public IReadOnlyList<CaseEvent> Events => _events;

    /// <summary>The lifecycle in one table: which actions each state allows.</summary>
    public static IReadOnlyList<CaseAction> AllowedActions(CaseStatus status) => status switch
    {
        CaseStatus.Registered => [CaseAction.Triage, CaseAction.Reject, CaseAction.Merge, CaseAction.AddReporter, CaseAction.AddAttachment, .. OpenWork],
        CaseStatus.Triaged => [CaseAction.Triage, CaseAction.Assign, CaseAction.Reject, CaseAction.Merge, CaseAction.AddReporter, CaseAction.AddAttachment, .. OpenWork],
        CaseStatus.Returned => [CaseAction.Triage, CaseAction.Reject, CaseAction.Merge, CaseAction.AddReporter, CaseAction.AddAttachment, .. OpenWork],
        CaseStatus.Assigned => [CaseAction.Start, CaseAction.Resolve, CaseAction.Return, CaseAction.Transfer, CaseAction.Merge, CaseAction.AddReporter, CaseAction.AddAttachment,
            .. InHandlingWork, .. DeadlineWork, .. OpenWork],
        CaseStatus.InProgress => [CaseAction.Resolve, CaseAction.Return, CaseAction.Transfer, CaseAction.AddReporter, CaseAction.AddAttachment, .. InHandlingWork,
            .. DeadlineWork, .. OpenWork],
        CaseStatus.Resolved => [CaseAction.FollowUp, CaseAction.Reopen, CaseAction.AddReporter, CaseAction.AddAttachment, .. AfterResult],
        CaseStatus.FollowedUp => [CaseAction.Reopen, .. AfterResult],
        CaseStatus.Reopened => [CaseAction.Triage, CaseAction.Assign, CaseAction.AddReporter, CaseAction.AddAttachment, .. OpenWork],
        CaseStatus.Rejected => [],
        CaseStatus.Merged => [],
        CaseStatus.Ledgered => [CaseAction.Deliberate, CaseAction.Reject, CaseAction.Merge, CaseAction.AddReporter, CaseAction.AddAttachment, .. OpenWork],
        // Resolve: settled at the meeting (当场解决).
        CaseStatus.Deliberating => [CaseAction.Plan, CaseAction.Deliberate, CaseAction.DeliberationOutcome, CaseAction.Resolve, CaseAction.Disclose,
            CaseAction.AddReporter, CaseAction.AddAttachment, .. OpenWork],
        CaseStatus.Planned => [CaseAction.Assign, CaseAction.Start, CaseAction.Resolve, CaseAction.AddReporter, CaseAction.AddAttachment, .. InHandlingWork,
            .. DeadlineWork, .. OpenWork],
    };

    /// <summary>
    /// What a case being handled also allows: a topic's plan is amended, its steps report progress, it
    /// goes before a (concentrated-handling) meeting again, which records an outcome; a dispute is
    /// mediated; a decision is made public.
    /// </summary>
    /// <summary>延期, 挂起, 催办 and 通报: the deadline practice of a case with a responsible unit (Case.Deadlines.cs).</summary>
    private static readonly CaseAction[] DeadlineWork =
        [CaseAction.RequestExtension, CaseAction.DecideExtension, CaseAction.RequestSuspension, CaseAction.DecideSuspension, CaseAction.Resume,
         CaseAction.Remind, CaseAction.Notify];

    /// <summary>What any open case allows: a leader's supervision, and recording that the reporter was contacted.</summary>
    private static readonly CaseAction[] OpenWork = [CaseAction.Supervise, CaseAction.Contact];

    private static readonly CaseAction[] InHandlingWork =
        [CaseAction.Plan, CaseAction.PlanProgress, CaseAction.Deliberate, CaseAction.DeliberationOutcome, CaseAction.Mediate, CaseAction.Disclose];

    /// <summary>After the result: its public disclosure, the outcome measures, a mediation's performance and confirmation.</summary>
    private static readonly CaseAction[] AfterResult = [CaseAction.Disclose, CaseAction.RecordMeasures, CaseAction.Mediate];

    /// <summary>
    /// What this case allows now: the state's actions, less those only a topic has (deliberation and a
    /// plan) when it is a direct-track case in a state both tracks share.
    /// </summary>
    public IReadOnlyList<CaseAction> AvailableActions => AllowedActions(Status)
        .Where(a => IsTopic || a is not (CaseAction.Deliberate or CaseAction.Plan or CaseAction.DeliberationOutcome or CaseAction.PlanProgress)).ToList();

    /// <summary>A topic (议题): on the topic track, or in the ledger's states.</summary>
    public bool IsTopic => Track == Cases.Track.Topic || Status is CaseStatus.Ledgered or CaseStatus.Deliberating;

    /// <summary>Whether the case accepts other cases merged into it: only while it can take new reporters.</summary>
    public bool CanAbsorb => AllowedActions(Status).Contains(CaseAction.AddReporter);

    public bool IsOverdue(DateTime nowUtc) => Lifecycle.IsOverdue(Status, DueAt, nowUtc, SuspendedAt is not null);

    public static Case Register(
        long townId,
        long orgUnitId,
        Channel channel,
        string title,
        string description,
        Urgency urgency,
        long? categoryId,
        ReporterInfo? reporter,
        GeoLocation? location,
        string? externalRef,
        string? idempotencyKey,
        long? meetingId,
        string trackingCode,
        DuePolicy due,
        Actor by,
        DateTime at,
        long? sourceClientId = null,
        bool anonymous = false,
        string? ratingCodeHash = null,
        DateOnly? dueDate = null,
        long id = 0)
    {
        RequireText(title, TitleMaxLength, "title");
        RequireText(description, DescriptionMaxLength, "description");
        // A WeChat sender is known by their OpenID only: an unnamed reporter that is not an anonymous report.
        if (reporter is not null && anonymous != string.IsNullOrWhiteSpace(reporter.Name)
            && !(reporter.WeChatOpenId is not null && !anonymous && string.IsNullOrWhiteSpace(reporter.Name)))
        {
            throw anonymous
                ? new DomainRuleException("case.anonymous-named", "An anonymous report carries no name.", field: "reporter.name")
                : new DomainRuleException("case.reporter-unnamed", "A reporter needs a name unless the report is anonymous.", field: "reporter.name");
        }
        var c = new Case
        {
            // Given when the tracking code is derived from it (allocated before the case is built); 0 lets the store choose.
            Id = id,
            TownId = townId,
            OrgUnitId = orgUnitId,
            Channel = channel,
            Title = title.Trim(),
            Description = description.Trim(),
            Urgency = urgency,
            CategoryId = categoryId,
            Location = location,
            ExternalRef = externalRef,
            SourceClientId = sourceClientId,
            IdempotencyKey = idempotencyKey,
            MeetingId = meetingId,
            Anonymous = anonymous,
            RatingCodeHash = ratingCodeHash,
            TrackingCode = trackingCode,
            Status = CaseStatus.Registered,
            RegisteredAt = at,
            // A deadline the higher level set when forwarding the matter (办理时限) is the case's, not the policy's.
            DueAt = dueDate is { } d ? due.EndOfLocalDay(d) : due.DueAt(urgency, at),
            UpdatedAt = at,
        };
        if (dueDate is { } given && given < due.LocalDate(at))
        {
            throw new DomainRuleException("case.due-date-past", "The due date cannot be before today.",
                new Dictionary<string, string> { ["today"] = due.LocalDate(at).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
                field: "dueDate");
        }
        if (reporter is not null)
        {
            c._reporters.Add(new CaseReporter(townId, anonymous ? string.Empty : reporter.Name, reporter.Phone, at, null,
                reporter.ContactConsent, reporter.WeChatOpenId));
        }
        // The payload of a registration without a given due date stays as it was (sealed events compare by it).
        c.Append(by, at, CaseAction.Register, null, null, (anonymous, dueDate) switch
        {
            (true, null) => new { channel, urgency, orgUnitId, categoryId, meetingId, anonymous },
            (false, null) => new { channel, urgency, orgUnitId, categoryId, meetingId },
            (true, { } dd) => new { channel, urgency, orgUnitId, categoryId, meetingId, anonymous, dueDate = dd },
            (false, { } dd) => (object)new { channel, urgency, orgUnitId, categoryId, meetingId, dueDate = dd },
        });
        return c;
    }

    /// <summary>
    /// 分清轻重缓急: put the case on the direct or topic track, set urgency and category (due date
    /// follows the urgency from the registration time, unless an explicit <paramref name="dueDate"/>
    /// is given: then the case is due at the end of that local day). A direct case may be assigned at once.
    /// </summary>
    /// <param name="mayPostpone">Whether the caller may approve an extension (a leader): a case handed back (退回) and triaged again
    /// runs on its clock, so without it its due date may come earlier, never later — an explicit later date is refused, a lower
    /// urgency keeps the date. (Else returning a case and triaging it with a date of one's choosing was an extension nobody approved.)</param>
    public void Triage(Track track, Urgency urgency, long? categoryId, long? assigneeUnitId, DuePolicy due, Actor by, DateTime at,
        DateOnly? dueDate = null, bool mayPostpone = true)
    {
        Ensure(CaseAction.Triage, at);
        if (track == Cases.Track.Topic && assigneeUnitId is not null)
        {
            throw new DomainRuleException("case.topic-assign", "A topic is assigned after deliberation, not at triage.",
                field: "assigneeUnit");
        }
        var today = due.LocalDate(at);
        if (dueDate is { } d && d < today)
        {
            throw new DomainRuleException("case.due-date-past", "The due date cannot be before today.",
                new Dictionary<string, string> { ["today"] = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
                field: "dueDate");
        }
        var from = Status;
        // A returned case keeps its running clock, also when it is triaged once more before it is assigned again (Returned →
        // Triaged → triage with a later date was the same postponement in two steps: an outside review).
        var keepsClock = (from == CaseStatus.Returned || (from == CaseStatus.Triaged && ReturnCount > 0)) && !mayPostpone;
        if (keepsClock && dueDate is { } asked && due.EndOfLocalDay(asked) > DueAt)
        {
            throw new DomainRuleException("case.retriage-postpones", "A returned case triaged again keeps its running clock: its due date does not move later.",
                new Dictionary<string, string> { ["due"] = due.LocalDate(DueAt.AddTicks(-1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) },
                field: "dueDate");
        }
        Track = track;
        var urgencyChanged = urgency != Urgency;
        Urgency = urgency;
        CategoryId = categoryId ?? CategoryId;
        if (dueDate is { } explicitDate)
        {
            DueAt = due.EndOfLocalDay(explicitDate);
        }
        else if (urgencyChanged)
        {
            var recomputed = due.DueAt(urgency, ReopenCount > 0 ? at : RegisteredAt);
            DueAt = keepsClock && recomputed > DueAt ? DueAt : recomputed;
        }
        Status = track switch
        {
            Cases.Track.Direct => CaseStatus.Triaged,
            Cases.Track.Topic => CaseStatus.Ledgered,
        };
        Append(by, at, CaseAction.Triage, from, null, new { track, urgency, categoryId = CategoryId, dueAt = DueAt, dueDate });
        if (assigneeUnitId is { } unit)
        {
            Assign(unit, by, at);
        }
    }

    /// <summary>Give the case to a responsible unit (village, office or partner agency).</summary>
    public void Assign(long unitId, Actor by, DateTime at)
    {
        Ensure(CaseAction.Assign, at);
        var from = Status;
        AssigneeUnitId = unitId;
        Status = CaseStatus.Assigned;
        Append(by, at, CaseAction.Assign, from, null, new { assigneeUnitId = unitId });
    }

    /// <summary>The responsible unit starts work.</summary>
    public void Start(Actor by, DateTime at)
    {
        Ensure(CaseAction.Start, at);
        if (AssigneeUnitId is null)
        {
            throw new DomainRuleException("case.no-assignee", "The case has no responsible unit yet; assign it first.");
        }
        var from = Status;
        Status = CaseStatus.InProgress;
        Append(by, at, CaseAction.Start, from, null, null);
    }

    /// <summary>退回: the unit hands the case back to triage, saying why.</summary>
    public void Return(string reason, Actor by, DateTime at)
    {
        Ensure(CaseAction.Return, at);
        RequireText(reason, ReasonMaxLength, "reason");
        var from = Status;
        var unit = AssigneeUnitId;
        EndSuspension(at);
        AssigneeUnitId = null;
        Status = CaseStatus.Returned;
        ReturnCount++;
        ClearDeadlineRequests();
        Append(by, at, CaseAction.Return, from, reason, new { fromUnitId = unit }, unit);
    }

    /// <summary>转办: the case moves to another responsible unit, which must start it anew.</summary>
    public void Transfer(long toUnitId, string reason, Actor by, DateTime at)
    {
        Ensure(CaseAction.Transfer, at);
        RequireText(reason, ReasonMaxLength, "reason");
        if (toUnitId == AssigneeUnitId)
        {
            throw new DomainRuleException("case.transfer-same-unit", "The case is already with that unit.", field: "toUnit");
        }
        var from = Status;
        var fromUnit = AssigneeUnitId;
        AssigneeUnitId = toUnitId;
        ClearDeadlineRequests();
        Status = CaseStatus.Assigned;
        Append(by, at, CaseAction.Transfer, from, reason, new { fromUnitId = fromUnit, toUnitId });
    }

    /// <summary>办结: record what was done and what it achieved, and optionally the reply the resident is told (答复意见).</summary>
    public void Resolve(Outcome outcome, string result, Actor by, DateTime at, string? publicReply = null)
    {
        Ensure(CaseAction.Resolve, at);
        RequireText(result, ResultMaxLength, "result");
        OptionalText(publicReply, PublicReplyMaxLength, "publicReply");
        var from = Status;
        EndSuspension(at);
        ClearDeadlineRequests();
        Outcome = outcome;
        Result = result.Trim();
        PublicReply = string.IsNullOrWhiteSpace(publicReply) ? null : publicReply.Trim();
        ResolvedAt = at;
        // A new result waits for a new verdict.
        Satisfaction = null;
        Status = CaseStatus.Resolved;
        // The result itself is on the case (up to 4000 characters); escaped into JSON it could outgrow the payload column.
        Append(by, at, CaseAction.Resolve, from, null, PublicReply is null
            ? new { outcome, result = Result, onTime = at < DueAt }
            : (object)new { outcome, result = Result, onTime = at < DueAt, publicReply = PublicReply });
    }

    /// <summary>
    /// 回访: the resident's verdict, reached by <paramref name="method"/> (a staff call unless said otherwise;
    /// <see cref="FollowUpMethod.SelfService"/> for the resident's own rating). Unsatisfied reopens the case with a new due date.
    /// </summary>
    public void FollowUp(Satisfaction satisfaction, string? note, DuePolicy due, Actor by, DateTime at, FollowUpMethod method = FollowUpMethod.Phone,
        bool? resolvedByResident = null)
    {
        Ensure(CaseAction.FollowUp, at);
        OptionalText(note, ReasonMaxLength, "note");
        var from = Status;
        Satisfaction = satisfaction;
        ResolvedByResident = resolvedByResident;
        FollowUpCount++;
        switch (satisfaction)
        {
            case Cases.Satisfaction.Satisfied:
            case Cases.Satisfaction.BasicallySatisfied:
                Status = CaseStatus.FollowedUp;
                ClosedAt = at;
                Append(by, at, CaseAction.FollowUp, from, note, resolvedByResident is null
                    ? new { satisfaction, method }
                    : (object)new { satisfaction, method, resolvedByResident });
                break;
            case Cases.Satisfaction.Unsatisfied:
                Status = CaseStatus.Reopened;
                ReopenForWork(due, at);
                Append(by, at, CaseAction.FollowUp, from, note, resolvedByResident is null
                    ? new { satisfaction, method, reopened = true, dueAt = DueAt }
                    : (object)new { satisfaction, method, resolvedByResident, reopened = true, dueAt = DueAt });
                break;
        }
    }

    /// <summary>Reopen a resolved or closed case, e.g. on a complaint or a leader's review.</summary>
    public void Reopen(string reason, DuePolicy due, Actor by, DateTime at)
    {
        Ensure(CaseAction.Reopen, at);
        RequireText(reason, ReasonMaxLength, "reason");
        var from = Status;
        Status = CaseStatus.Reopened;
        Satisfaction = null;
        ResolvedByResident = null;
        ReopenForWork(due, at);
        Append(by, at, CaseAction.Reopen, from, reason, new { dueAt = DueAt });
    }

    /// <summary>不予受理: refused, with the reason the reporter is told.</summary>
    public void Reject(string reason, Actor by, DateTime at)
    {
        Ensure(CaseAction.Reject, at);
        RequireText(reason, ReasonMaxLength, "reason");
        var from = Status;
        Status = CaseStatus.Rejected;
        ClosedAt = at;
        Append(by, at, CaseAction.Reject, from, reason, null);
    }

    /// <summary>
    /// 归纳整理: this case is the same matter as <paramref name="survivor"/>. Its reporters become
    /// reporters of the survivor, and both timelines record the merge.
    /// </summary>
    public void MergeInto(Case survivor, string? reason, Actor by, DateTime at)
    {
        Ensure(CaseAction.Merge, at);
        OptionalText(reason, ReasonMaxLength, "reason");
        if (ReferenceEquals(survivor, this) || (survivor.Id != 0 && survivor.Id == Id))
        {
            throw new DomainRuleException("case.merge-self", "A case cannot be merged into itself.", field: "into");
        }
        if (!survivor.CanAbsorb)
        {
            throw new DomainRuleException("case.merge-target-closed",
                $"The target case is {survivor.Status} and cannot take other cases.",
                new Dictionary<string, string> { ["state"] = survivor.Status.ToString() }, field: "into");
        }
        if (survivor.TownId != TownId)
        {
            throw new DomainRuleException("case.merge-other-town", "Cases of different towns cannot be merged.", field: "into");
        }
        var from = Status;
        EndSuspension(at);
        ClearDeadlineRequests();
        Status = CaseStatus.Merged;
        MergedIntoId = survivor.Id;
        ClosedAt = at;
        var moved = 0;
        foreach (var r in _reporters)
        {
            if (!survivor._reporters.Any(s => SameReporter(s, r.Name, r.Phone)))
            {
                survivor._reporters.Add(new CaseReporter(TownId, r.Name, r.Phone, at, Id, r.ContactConsent, r.WeChatOpenId));
                moved++;
            }
        }
        survivor.UpdatedAt = at;
        Append(by, at, CaseAction.Merge, from, reason, new { intoCaseId = survivor.Id, intoTrackingCode = survivor.TrackingCode });
        survivor.Append(by, at, CaseAction.AbsorbMerged, survivor.Status, reason,
            new { mergedCaseId = Id, mergedTrackingCode = TrackingCode, reportersAdded = moved });
    }

    /// <summary>
    /// A further resident raised the same matter (e.g. a repeat call to the hotline). The same person
    /// again — the same name and phone — is a repeat report, not a second reporter.
    /// </summary>
    public void AddReporter(ReporterInfo reporter, Actor by, DateTime at)
    {
        Ensure(CaseAction.AddReporter, at);
        // Name and phone, not the phone alone (as merging, done by those who see phones, does): people
        // who may add reporters but see phones masked would otherwise learn from whether a reporter was
        // added that a guessed number belongs to this case. A matching name and phone tells them only
        // what they typed in full.
        if (_reporters.Any(s => s.Phone == reporter.Phone && s.Name == reporter.Name))
        {
            // A repeat call is worth counting, and recording it leaves every attempt to match a
            // reporter on the timeline under the caller's name. Readers who may not see reporters'
            // personal data are not shown that it was a repeat (CaseReader).
            Append(by, at, CaseAction.AddReporter, Status, null, new { reporters = _reporters.Count, repeat = true });
            return;
        }
        _reporters.Add(new CaseReporter(TownId, reporter.Name, reporter.Phone, at, null, reporter.ContactConsent, reporter.WeChatOpenId));
        Append(by, at, CaseAction.AddReporter, Status, null, new { reporters = _reporters.Count });
    }

    /// <summary>
    /// 协商议事: a topic goes before a village or town meeting (put on its agenda). From the ledger it is
    /// now in deliberation; a topic already planned or in handling (concentrated handling) stays where it is.
    /// </summary>
    public void Deliberate(long? meetingId, Actor by, DateTime at)
    {
        Ensure(CaseAction.Deliberate, at);
        RequireTopic("deliberate");
        var from = Status;
        if (Status == CaseStatus.Ledgered)
        {
            Status = CaseStatus.Deliberating;
        }
        // MeetingId stays the meeting the matter came from; the deliberating meeting is in the event.
        Append(by, at, CaseAction.Deliberate, from, null, new { meetingId });
    }

    /// <summary>
    /// 议定: what the meeting did with the topic (agenda item <paramref name="item"/> of
    /// <paramref name="meetingId"/>). Deferred sends a topic in deliberation back to the ledger; a
    /// resolution at the meeting is recorded here and then by <see cref="Resolve"/>.
    /// </summary>
    public void RecordDeliberationOutcome(long meetingId, int item, DeliberationOutcomeKind kind, string? text,
        int? votesFor, int? against, int? abstain, bool? valid, bool? passed, Actor by, DateTime at)
    {
        Ensure(CaseAction.DeliberationOutcome, at);
        RequireTopic("deliberation-outcome");
        OptionalText(text, ResultMaxLength, "text");
        var from = Status;
        if (kind == DeliberationOutcomeKind.Deferred && Status == CaseStatus.Deliberating)
        {
            Status = CaseStatus.Ledgered;
        }
        Append(by, at, CaseAction.DeliberationOutcome, from, null, kind == DeliberationOutcomeKind.Vote
            ? new { meetingId, item, kind, text = text?.Trim(), votesFor, against, abstain, valid, passed }
            : (object)new { meetingId, item, kind, text = text?.Trim() });
    }

    /// <summary>
    /// 办理计划: the deliberation's plan, optionally naming the responsible unit. From deliberation the
    /// topic is now planned; a plan made again later (amended) leaves the state. With
    /// <paramref name="dueDate"/> (the plan's last target date) the case's due date follows the plan while
    /// its clock is not yet running (in the ledger or in deliberation: <see cref="Lifecycle.IsClocked"/>); once it
    /// runs, an amended plan leaves the due date, which then moves only by an approved extension (延期), so that
    /// a unit cannot put off its own deadline, or make a late case on time, by re-dating its plan.
    /// </summary>
    public void Plan(string plan, long? assigneeUnitId, Actor by, DateTime at, DuePolicy? due = null, DateOnly? dueDate = null)
    {
        Ensure(CaseAction.Plan, at);
        RequireTopic("plan");
        RequireText(plan, ResultMaxLength, "plan");
        if (dueDate is not null && due is null)
        {
            throw new ArgumentException("A plan's due date needs the due policy.", nameof(due));
        }
        var from = Status;
        HandlingPlan = plan.Trim();
        AssigneeUnitId = assigneeUnitId ?? AssigneeUnitId;
        if (Status == CaseStatus.Deliberating)
        {
            Status = CaseStatus.Planned;
        }
        if (Lifecycle.IsClocked(from))
        {
            dueDate = null;
        }
        if (dueDate is { } d)
        {
            DueAt = due!.EndOfLocalDay(d);
        }
        // The plan itself is on the case, as the result is for Resolve.
        Append(by, at, CaseAction.Plan, from, null, dueDate is null
            ? new { plan = HandlingPlan, assigneeUnitId = AssigneeUnitId }
            : (object)new { plan = HandlingPlan, assigneeUnitId = AssigneeUnitId, dueAt = DueAt });
    }

    /// <summary>A plan step's progress (0–100) or completion, as the step's event on the case.</summary>
    public void RecordPlanProgress(int step, string title, int progress, bool completed, string? note, Actor by, DateTime at)
    {
        Ensure(CaseAction.PlanProgress, at);
        RequireTopic("plan-progress");
        RequireText(title, TitleMaxLength, "title");
        OptionalText(note, ReasonMaxLength, "note");
        if (progress is < 0 or > 100)
        {
            throw new DomainRuleException("case.plan-progress-range", "Progress is between 0 and 100.", field: "progress");
        }
        Append(by, at, CaseAction.PlanProgress, Status, null, new { step, title = title.Trim(), progress, completed, note = note?.Trim() });
    }

    /// <summary>
    /// A mediation record on the case's timeline. The payload says what happened (session number,
    /// outcome, dates) and never names the parties: their details stay in the mediation's own record.
    /// </summary>
    /// <remarks>
    /// With <paramref name="limit"/> (the mediation's time limit: 30 days from acceptance) the case is not due
    /// before the end of that day: a dispute in mediation runs on the mediation's clock, not the
    /// direct-handling service level. A later due date (a plan's) stays. Only an open case that is not yet
    /// overdue moves (as an extension may be asked only before the due date); a case with its result keeps
    /// its due date, so its on-time figure cannot change afterwards. The new due date is restated in the
    /// event (<c>dueAt</c>), as a plan's is, so that the replay of a closed period agrees with the case.
    /// </remarks>
    public void RecordMediation(MediationStep step, object payload, Actor by, DateTime at, DuePolicy? due = null, DateOnly? limit = null)
    {
        Ensure(CaseAction.Mediate, at);
        var moved = false;
        if (limit is { } l)
        {
            if (due is null)
            {
                throw new ArgumentException("A mediation's time limit needs the due policy.", nameof(due));
            }
            var until = due.EndOfLocalDay(l);
            if (until > DueAt && Lifecycle.IsOpen(Status) && DueAt > at)
            {
                DueAt = until;
                moved = true;
            }
        }
        Append(by, at, CaseAction.Mediate, Status, null, moved ? new { step, detail = payload, dueAt = DueAt } : new { step, detail = payload });
    }

    /// <summary>公示: the decision or the result went on the public page, for the disclosure period.</summary>
    public void Disclose(long disclosureId, DisclosureKind kind, DateOnly from, DateOnly until, Actor by, DateTime at)
    {
        Ensure(CaseAction.Disclose, at);
        if (until < from)
        {
            throw new DomainRuleException("case.disclosure-period", "The disclosure period ends before it starts.", field: "until");
        }
        Append(by, at, CaseAction.Disclose, Status, null, new { disclosureId, kind, from, until });
    }

    /// <summary>成效: outcome measures from the town's list (key → quantity), for what consultation achieved.</summary>
    public void RecordMeasures(IReadOnlyDictionary<string, int> measures, Actor by, DateTime at)
    {
        Ensure(CaseAction.RecordMeasures, at);
        if (measures.Count == 0 || measures.Values.Any(v => v <= 0))
        {
            throw new DomainRuleException("case.measures-empty", "Name at least one measure with a positive quantity.", field: "measures");
        }
        Append(by, at, CaseAction.RecordMeasures, Status, null, new { measures });
    }

    private void RequireTopic(string action)
    {
        // A topic in the ledger or in deliberation is a topic by its state; later states are shared with the direct track.
        if (!IsTopic)
        {
            throw new DomainRuleException("case.not-a-topic", $"Only a topic (议题) can {action}.",
                new Dictionary<string, string> { ["action"] = action });
        }
    }

    public const int AttachmentNameMaxLength = 200;

    /// <summary>
    /// A photo or document was added. Without a <paramref name="kind"/> it follows the state: 登记材料
    /// while the case waits for triage, 办结佐证 once it is resolved, 办理材料 otherwise. 登记材料
    /// only before triage; 办结佐证 only once a unit has the case (to prepare the resolution) or after it.
    /// The payload names the file and its SHA-256, so the chain seals what was added.
    /// </summary>
    public AttachmentKind AddAttachment(AttachmentKind? kind, string fileName, string contentType, long size, string sha256, Actor by, DateTime at)
    {
        Ensure(CaseAction.AddAttachment, at);
        RequireText(fileName, AttachmentNameMaxLength, "fileName");
        var chosen = kind ?? Status switch
        {
            CaseStatus.Registered => AttachmentKind.Registration,
            CaseStatus.Resolved => AttachmentKind.Evidence,
            _ => AttachmentKind.Handling,
        };
        var fits = chosen switch
        {
            AttachmentKind.Registration => Status == CaseStatus.Registered,
            AttachmentKind.Evidence => Status is CaseStatus.Assigned or CaseStatus.InProgress or CaseStatus.Planned or CaseStatus.Resolved,
            _ => true,
        };
        if (!fits)
        {
            throw new DomainRuleException("case.attachment-kind", $"A {chosen} attachment cannot be added to a case that is {Status}.",
                new Dictionary<string, string> { ["state"] = Status.ToString(), ["kind"] = chosen.ToString() }, field: "kind");
        }
        Append(by, at, CaseAction.AddAttachment, Status, null, new { kind = chosen, fileName, contentType, size, sha256 });
        return chosen;
    }

    /// <summary>Personal data is shown unmasked only on request, and every such viewing is on the record.</summary>
    public void RecordPersonalDataViewed(Actor by, DateTime at)
    {
        if (at.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("Instants are UTC.", nameof(at));
        }
        Append(by, at, CaseAction.ViewPersonalData, Status, null, new { reporters = _reporters.Count });
    }

    private void ReopenForWork(DuePolicy due, DateTime at)
    {
        ReopenCount++;
        Outcome = null;
        Result = null;
        PublicReply = null;
        ResolvedAt = null;
        ClosedAt = null;
        DueAt = due.DueAt(Urgency, at);
    }

    /// <summary>Checks everything before any change, so a refused call leaves the case untouched.</summary>
    private void Ensure(CaseAction action, DateTime at)
    {
        if (at.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("Instants are UTC.", nameof(at));
        }
        if (!AllowedActions(Status).Contains(action))
        {
            throw new DomainRuleException("case.illegal-transition",
                $"Cannot {action} a case that is {Status}.",
                new Dictionary<string, string> { ["state"] = Status.ToString(), ["action"] = action.ToString() });
        }
    }

    private void Append(Actor by, DateTime at, CaseAction action, CaseStatus? from, string? reason, object? payload)
        => Append(by, at, action, from, reason, payload, AssigneeUnitId);

    /// <param name="unitId">The responsible unit the event concerns (<see cref="CaseEvent.UnitId"/>): the case's unit after the change, or the unit that returned it.</param>
    private void Append(Actor by, DateTime at, CaseAction action, CaseStatus? from, string? reason, object? payload, long? unitId)
    {
        if (at.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("Instants are UTC.", nameof(at));
        }
        EventCount++;
        UpdatedAt = at;
        var json = payload is null ? null : JsonSerializer.Serialize(payload, PayloadJson);
        var e = new CaseEvent(this, EventCount, by, at, action, from, Status, reason?.Trim(), json, LastEventHash) { UnitId = unitId };
        _events.Add(e);
        LastEventHash = e.Hash;
    }

    private static bool SameReporter(CaseReporter r, string name, string? phone) =>
        phone is not null ? r.Phone == phone : r.Phone is null && r.Name == name;

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

/// <summary>A reporter's name and (normalized) phone, as given at intake.</summary>
/// <param name="ContactConsent">The resident agreed to be contacted and to the processing of their data (see <see cref="CaseReporter.ContactConsent"/>).</param>
/// <param name="WeChatOpenId">Set only by the WeChat channel: who wrote to the official account.</param>
public sealed record ReporterInfo(string Name, string? Phone, bool ContactConsent = false, string? WeChatOpenId = null);
