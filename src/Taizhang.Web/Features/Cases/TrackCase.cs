using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// 查询进度: what a resident sees with their tracking code. Status, dates and a public
/// timeline only — never a reporter's name or phone, never internal notes or who did what, and
/// never another case's tracking code: a merged case says it was merged, not into which case
/// (that code would open another resident's case to whoever holds this one). Once resolved: the
/// outcome and the 答复意见 written for the resident (<see cref="Case.PublicReply"/>), never the
/// internal result; and whether the resident may rate this round (<c>Features/Residents/RateCase</c>).
/// </summary>
public static class TrackCase
{
    public sealed record PublicEvent(DateTime At, CaseAction Action, CaseStatus Status, string? Unit, string? Detail);

    /// <summary>Where the matter is, in a resident's words (not the office's statuses): <see cref="StageOf"/>.</summary>
    public enum Stage
    {
        /// <summary>已受理: registered, being sorted out.</summary>
        Received,
        /// <summary>正在办理: with a unit, at a meeting, or being handled again.</summary>
        InHandling,
        /// <summary>已办结: a result, waiting for the resident's verdict.</summary>
        Resolved,
        /// <summary>已回访: the resident's verdict is in; closed.</summary>
        FollowedUp,
        /// <summary>不予受理.</summary>
        Rejected,
        /// <summary>已合并办理: handled together with the same matter raised by others.</summary>
        Merged,
    }

    public static Stage StageOf(CaseStatus status) => status switch
    {
        CaseStatus.Registered or CaseStatus.Triaged or CaseStatus.Returned or CaseStatus.Ledgered => Stage.Received,
        CaseStatus.Assigned or CaseStatus.InProgress or CaseStatus.Reopened or CaseStatus.Deliberating or CaseStatus.Planned => Stage.InHandling,
        CaseStatus.Resolved => Stage.Resolved,
        CaseStatus.FollowedUp => Stage.FollowedUp,
        CaseStatus.Rejected => Stage.Rejected,
        CaseStatus.Merged => Stage.Merged,
    };

    public sealed record Response(
        string TrackingCode,
        CaseStatus Status,
        Channel Channel,
        string? Category,
        string? OrgUnit,
        DateTime RegisteredAt,
        DateOnly DueDate,
        DateTime? ResolvedAt,
        Outcome? Outcome,
        IReadOnlyList<PublicEvent> Timeline,
        Stage PublicStage = Stage.Received,
        string? PublicReply = null,
        bool RatingOpen = false,
        bool Rated = false,
        string? ResponsibleUnit = null);

    public sealed class Handler(TaizhangDb db, OrgDirectory org, CaseReader reader, IntakeWriter? writer = null)
    {
        public async Task<Response> HandleAsync(string code, CancellationToken ct)
        {
            var normalized = TrackingCodes.Normalize(code) ?? throw new NotFoundException("tracking");
            // A code answered from the intake journal (202) a moment ago: read once the ledger has the case.
            if (writer is { JournalBacklog: > 0 } && TrackingCodes.ToId(await db.CaseIds().KeyAsync(ct), normalized) is { } pending)
            {
                await writer.WaitAppliedAsync(pending, TimeSpan.FromSeconds(2), ct);
            }
            // Decoded to its id and read by key (CaseIds); an unknown code reads nothing.
            var id = await db.CaseIdOfAsync(normalized, ct) ?? -1;
            var c = await db.Cases.AsNoTracking()
                .Where(x => x.Id == id)
                .Select(x => new
                {
                    x.Id, x.TrackingCode, x.Status, x.Channel, x.CategoryId, x.OrgUnitId, x.RegisteredAt, x.DueAt,
                    x.ResolvedAt, x.Outcome, x.PublicReply, x.AssigneeUnitId, HasRatingCode = x.RatingCodeHash != null,
                })
                .FirstOrDefaultAsync(ct);
            // An unknown code costs the same reads as a known one: how long the answer takes says nothing.
            var caseId = c?.Id ?? -1;
            var events = await db.CaseEvents.AsNoTracking()
                .Where(e => e.CaseId == caseId && PublicActions.Contains(e.Action))
                .OrderBy(e => e.Sequence)
                .Select(e => new { e.At, e.Action, e.ToStatus, e.Reason, e.Payload })
                .ToListAsync(ct);
            if (c is null)
            {
                throw new NotFoundException("tracking");
            }
            var units = await org.GetAsync(ct);
            string? current = null;
            var timeline = events.Select(e =>
            {
                var payload = e.Payload is null ? default : JsonDocument.Parse(e.Payload).RootElement;
                string? unit = e.Action switch
                {
                    CaseAction.Assign => current = units.Ref(Long(payload, "assigneeUnitId"))?.Name,
                    CaseAction.Transfer => current = units.Ref(Long(payload, "toUnitId"))?.Name,
                    CaseAction.Plan => current = units.Ref(Long(payload, "assigneeUnitId"))?.Name ?? current,
                    // Who starts is the unit that has the case: said, so the sentence reads "马家村 开始办理".
                    CaseAction.Start => current,
                    _ => null,
                };
                // Only the rejection reason is written for the resident; other reasons are internal.
                // ("Same matter as XXXX-XXXX" there must not hand out the other case's code.)
                string? detail = e.Action switch
                {
                    CaseAction.Reject => CaseReferences.MaskOthers(e.Reason, c.TrackingCode),
                    CaseAction.Resolve => Str(payload, "outcome"),
                    CaseAction.FollowUp => Str(payload, "satisfaction"),
                    // An approved 延期: the resident is told the new due date (a refusal is internal).
                    CaseAction.DecideExtension => payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("approved", out var ok)
                        && ok.ValueKind == JsonValueKind.True && payload.TryGetProperty("dueAt", out var until) && until.TryGetDateTime(out var dueAt)
                            ? reader.DueDate(DateTime.SpecifyKind(dueAt, DateTimeKind.Utc)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)
                            : null,
                    _ => null,
                };
                return new PublicEvent(e.At, e.Action, e.ToStatus, unit, detail);
            }).Where(e => e.Action != CaseAction.DecideExtension || e.Detail is not null).ToList();
            // This round (since the last resolution) was rated when a follow-up came after it.
            var lastResolve = events.FindLastIndex(e => e.Action == CaseAction.Resolve);
            var rated = lastResolve >= 0 && events.Skip(lastResolve).Any(e => e.Action == CaseAction.FollowUp);
            var resolved = c.Status == CaseStatus.Resolved;
            return new Response(c.TrackingCode, c.Status, c.Channel, units.CategoryRef(c.CategoryId)?.Name,
                units.Ref(c.OrgUnitId)?.Name, c.RegisteredAt, reader.DueDate(c.DueAt), c.ResolvedAt, c.Outcome, timeline,
                StageOf(c.Status),
                resolved || c.Status == CaseStatus.FollowedUp ? CaseReferences.MaskOthers(c.PublicReply, c.TrackingCode) : null,
                RatingOpen: resolved && c.HasRatingCode,
                Rated: rated,
                // The unit that has the case (the timeline names every unit it went to anyway).
                ResponsibleUnit: units.Ref(c.AssigneeUnitId)?.Name);
        }
    }

    private static readonly CaseAction[] PublicActions =
    [
        CaseAction.Register, CaseAction.Triage, CaseAction.Assign, CaseAction.Start, CaseAction.Transfer,
        CaseAction.Resolve, CaseAction.FollowUp, CaseAction.Reopen, CaseAction.Reject, CaseAction.Merge,
        CaseAction.Deliberate, CaseAction.Plan, CaseAction.DecideExtension,
    ];

    private static long? Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static async Task<Ok<Response>> Endpoint(string code, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(code, ct));
}
