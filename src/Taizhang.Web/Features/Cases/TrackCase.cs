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
/// (that code would open another resident's case to whoever holds this one).
/// </summary>
public static class TrackCase
{
    public sealed record PublicEvent(DateTime At, CaseAction Action, CaseStatus Status, string? Unit, string? Detail);

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
        IReadOnlyList<PublicEvent> Timeline);

    public sealed class Handler(TaizhangDb db, OrgDirectory org, CaseReader reader)
    {
        public async Task<Response> HandleAsync(string code, CancellationToken ct)
        {
            var normalized = TrackingCodes.Normalize(code) ?? throw new NotFoundException("tracking");
            var c = await db.Cases.AsNoTracking()
                .Where(x => x.TrackingCode == normalized)
                .Select(x => new
                {
                    x.Id, x.TrackingCode, x.Status, x.Channel, x.CategoryId, x.OrgUnitId, x.RegisteredAt, x.DueAt,
                    x.ResolvedAt, x.Outcome,
                })
                .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("tracking");
            var events = await db.CaseEvents.AsNoTracking()
                .Where(e => e.CaseId == c.Id && PublicActions.Contains(e.Action))
                .OrderBy(e => e.Sequence)
                .Select(e => new { e.At, e.Action, e.ToStatus, e.Reason, e.Payload })
                .ToListAsync(ct);
            var units = await org.GetAsync(ct);
            var timeline = events.Select(e =>
            {
                var payload = e.Payload is null ? default : JsonDocument.Parse(e.Payload).RootElement;
                string? unit = e.Action switch
                {
                    CaseAction.Assign => units.Ref(Long(payload, "assigneeUnitId"))?.Name,
                    CaseAction.Transfer => units.Ref(Long(payload, "toUnitId"))?.Name,
                    _ => null,
                };
                // Only the rejection reason is written for the resident; other reasons are internal.
                // ("Same matter as XXXX-XXXX" there must not hand out the other case's code.)
                string? detail = e.Action switch
                {
                    CaseAction.Reject => CaseReferences.MaskOthers(e.Reason, c.TrackingCode),
                    CaseAction.Resolve => Str(payload, "outcome"),
                    CaseAction.FollowUp => Str(payload, "satisfaction"),
                    _ => null,
                };
                return new PublicEvent(e.At, e.Action, e.ToStatus, unit, detail);
            }).ToList();
            return new Response(c.TrackingCode, c.Status, c.Channel, units.CategoryRef(c.CategoryId)?.Name,
                units.Ref(c.OrgUnitId)?.Name, c.RegisteredAt, reader.DueDate(c.DueAt), c.ResolvedAt, c.Outcome, timeline);
        }
    }

    private static readonly CaseAction[] PublicActions =
    [
        CaseAction.Register, CaseAction.Triage, CaseAction.Assign, CaseAction.Start, CaseAction.Transfer,
        CaseAction.Resolve, CaseAction.FollowUp, CaseAction.Reopen, CaseAction.Reject, CaseAction.Merge,
        CaseAction.Deliberate, CaseAction.Plan,
    ];

    private static long? Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static async Task<Ok<Response>> Endpoint(string code, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(code, ct));
}
