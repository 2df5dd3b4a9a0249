using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Access;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>A row of the ledger.</summary>
public sealed record CaseSummary(
    long Id,
    string TrackingCode,
    string Title,
    Channel Channel,
    CaseStatus Status,
    Track? Track,
    Urgency Urgency,
    CategoryRef? Category,
    UnitRef? OrgUnit,
    UnitRef? AssigneeUnit,
    DateTime RegisteredAt,
    DateTime DueAt,
    DateOnly DueDate,
    bool Overdue,
    DateTime? ResolvedAt,
    Outcome? Outcome,
    Satisfaction? Satisfaction,
    DateTime UpdatedAt)
{
    /// <summary>挂起: the clock is stopped (never overdue while so).</summary>
    public bool Suspended { get; init; }

    /// <summary>督办 level of an open case under supervision (flagged everywhere the case is listed).</summary>
    public SupervisionLevel? Supervision { get; init; }

    /// <summary>督办期限: the supervision's own deadline (local day), set by the leader with the level; null when not supervised.</summary>
    public DateOnly? SupervisionDate { get; init; }

    /// <summary>督办逾期: the supervision's deadline has passed and the case is still open.</summary>
    public bool SupervisionOverdue { get; init; }

    /// <summary>The 督办意见 (with when it was given), where a list shows the instruction (the board, the task list).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Deadlines.DeadlineInstruction? SupervisionNote { get; init; }

    /// <summary>The last 催办 or 通报 and its note, where a list shows the instruction (the board, the task list).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Deadlines.DeadlineInstruction? LastReminder { get; init; }

    /// <summary>挂起's stated reason: of the suspension in force, or of the one asked for.</summary>
    public string? SuspensionReason { get; init; }

    /// <summary>待审批: the 延期 or 挂起 request waiting for a decision, if any.</summary>
    public Deadlines.DeadlineRequestKind? PendingRequest { get; init; }

    /// <summary>延期 asked for: the date asked for.</summary>
    public DateOnly? ExtensionRequestedDate { get; init; }

    /// <summary>The request waiting is one only a leader approves (a second extension or suspension, a long extension).</summary>
    public bool DecisionNeedsLeader { get; init; }

    /// <summary>催办 and 通报 the case has had.</summary>
    public int Reminders { get; init; }

    public int Notices { get; init; }
}

/// <summary>
/// A reporter as shown: masked unless revealed (and the revealing recorded). <see cref="FromMerge"/>:
/// they came with a merged case, which <see cref="FromCaseId"/> names only to those who may see it.
/// </summary>
public sealed record ReporterView(string Name, string? Phone, DateTime AddedAt, long? FromCaseId, bool FromMerge, bool Masked);

public sealed record ActorView(ActorKind Kind, string Id, string Name);

public sealed record CaseEventView(
    int Sequence,
    DateTime At,
    CaseAction Action,
    CaseStatus? FromStatus,
    CaseStatus ToStatus,
    ActorView Actor,
    string? Reason,
    JsonElement? Payload);

public sealed record MergedIntoView(long Id, string TrackingCode);

/// <summary>
/// One case with everything about it: reporters, the timeline, and what can be done next.
/// <see cref="Anonymous"/>: the resident asked not to be named (a phone left for the return visit is a reporter with an empty name).
/// <see cref="PublicReply"/>: the 答复意见 the resident sees on the tracking page (the result stays internal).
/// </summary>
public sealed record CaseDetail(
    long Id,
    string TrackingCode,
    string Title,
    string Description,
    Channel Channel,
    CaseStatus Status,
    Track? Track,
    Urgency Urgency,
    CategoryRef? Category,
    UnitRef? OrgUnit,
    UnitRef? AssigneeUnit,
    GeoLocation? Location,
    string? ExternalRef,
    long? MeetingId,
    bool Anonymous,
    DateTime RegisteredAt,
    DateTime DueAt,
    DateOnly DueDate,
    bool Overdue,
    DateTime? ResolvedAt,
    DateTime? ClosedAt,
    Outcome? Outcome,
    string? Result,
    Satisfaction? Satisfaction,
    string? HandlingPlan,
    MergedIntoView? MergedInto,
    int ReopenCount,
    DateTime UpdatedAt,
    IReadOnlyList<CaseAction> AllowedActions,
    IReadOnlyList<CaseAction> AvailableActions,
    IReadOnlyList<ReporterView> Reporters,
    IReadOnlyList<CaseEventView> Events,
    string? PublicReply = null)
{
    /// <summary>延期、挂起、催办、督办 (Features/Deadlines).</summary>
    public Deadlines.DeadlineState? Deadline { get; init; }
}

/// <summary>Reads a case for answers; shared by GetCase and every transition.</summary>
public sealed class CaseReader(TaizhangDb db, OrgDirectory org, DuePolicy due, TimeProvider clock, CurrentUser user, Deadlines.DeadlineOptions deadlines)
{
    /// <summary>
    /// The case as the caller may see it. <paramref name="afterChange"/>: the caller has just acted
    /// on it, so it is shown even if the action moved it out of their scope (a return, a transfer).
    /// </summary>
    public async Task<CaseDetail> DetailAsync(long id, CancellationToken ct, bool afterChange = false, bool reveal = false)
    {
        var access = await user.AccessAsync(ct);
        var c = await db.Cases.AsNoTracking()
            .Include(x => x.Reporters)
            .Include(x => x.Events.OrderBy(e => e.Sequence))
            .AsSplitQuery()
            .FirstOrDefaultAsync(x => x.Id == id, ct)
            ?? throw new NotFoundException("case");
        if (!afterChange && !await access.CanSeeAsync(c.Id, c.OrgUnitId, c.AssigneeUnitId, ct))
        {
            throw new NotFoundException("case");
        }
        // Names show to those who may handle the case; phones only when revealed on request.
        var mayReveal = access.Can(Permission.RevealPersonalData, c.OrgUnitId, c.AssigneeUnitId);
        var showNames = reveal || mayReveal;
        // Other cases named by the merge, the timeline or the reporters: shown only if the caller may see them.
        var refs = await CaseReferences.LoadAsync(db, access, c, ct);
        var mergedInto = refs.CodeOf(c.MergedIntoId) is { } intoCode ? new MergedIntoView(c.MergedIntoId!.Value, intoCode) : null;
        var units = await org.GetAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return new CaseDetail(
            c.Id, c.TrackingCode, c.Title, refs.Mask(c.Description), c.Channel, c.Status, c.Track, c.Urgency,
            units.CategoryRef(c.CategoryId), units.Ref(c.OrgUnitId), units.Ref(c.AssigneeUnitId),
            c.Location, c.ExternalRef, c.MeetingId, c.Anonymous, c.RegisteredAt, c.DueAt, DueDate(c.DueAt), c.IsOverdue(now),
            c.ResolvedAt, c.ClosedAt, c.Outcome, refs.Mask(c.Result), c.Satisfaction, refs.Mask(c.HandlingPlan), mergedInto, c.ReopenCount,
            c.UpdatedAt, c.AvailableActions,
            // What this caller can do next: the state allows it and one of their posts does too.
            c.AvailableActions.Where(a => access.CanDo(a, c.OrgUnitId, c.AssigneeUnitId)
                || (a == CaseAction.AddAttachment && access.MayAttachAsRegistrar(c.Status)
                    && c.Events.FirstOrDefault(e => e.Sequence == 1) is { } registered && access.IsActor(registered.ActorKind, registered.ActorId))).ToList(),
            c.Reporters.OrderBy(r => r.AddedAt).ThenBy(r => r.Id)
                .Select(r => new ReporterView(
                    showNames ? r.Name : PersonalData.MaskName(r.Name),
                    reveal ? r.Phone : PersonalData.MaskPhone(r.Phone),
                    r.AddedAt, refs.Sees(r.FromCaseId) ? r.FromCaseId : null, FromMerge: r.FromCaseId is not null, Masked: !reveal)).ToList(),
            c.Events.OrderBy(e => e.Sequence).Select(e => ToView(e, refs, mayReveal || reveal)).ToList(),
            refs.Mask(c.PublicReply))
        {
            Deadline = Deadlines.DeadlineState.Of(c, DueDate) with
            {
                ExtensionNeedsLeader = c.ExtensionRequestedDueAt is { } asked && ExtensionNeedsLeader(asked, c.DueAt),
                OwnUnitNeedsLeader = Deadlines.DeadlineRequests.OwnUnitNeedsLeader(access, c),
                // Free text: shown as the timeline shows it (typed phone numbers and hidden cases' codes masked).
                SuspensionReason = refs.MaskText(c.SuspensionReason),
            },
        };
    }

    /// <summary>An extension to <paramref name="asked"/> is longer than the office approves alone (<c>Deadlines:MaxExtensionDays</c>).</summary>
    public bool ExtensionNeedsLeader(DateTime asked, DateTime dueAt) => (asked - dueAt).TotalDays > deadlines.MaxExtensionDays;

    /// <summary>The local calendar date a due instant falls on (the last day to act).</summary>
    public DateOnly DueDate(DateTime dueAt) => due.LocalDate(dueAt.AddTicks(-1));

    private static CaseEventView ToView(CaseEvent e, CaseReferences refs, bool mayReveal) => new(
        e.Sequence, e.At, e.Action, e.FromStatus, e.ToStatus, new ActorView(e.ActorKind, e.ActorId, e.ActorName),
        // As the case page's timeline shows it: a phone number typed into a reason or note masked (the API gave it whole).
        refs.MaskText(e.Reason),
        refs.Payload(e, mayReveal));
}
