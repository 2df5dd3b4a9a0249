using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Meetings;

/// <summary>会议: the meetings the caller sees, newest first, a page at a time.</summary>
public static class ListMeetings
{
    public const int MaxPageSize = 200;

    /// <param name="From">First day (Asia/Shanghai), yyyy-MM-dd.</param>
    /// <param name="To">Last day (Asia/Shanghai), yyyy-MM-dd.</param>
    public sealed record Query(string? Unit, string? Kind, string? Status, string? From, string? To, int? Page, int? PageSize);

    public sealed record MeetingPage(IReadOnlyList<MeetingSummary> Items, int Total, int Page, int PageSize);

    public sealed class Handler(TaizhangDb db, OrgDirectory org, MeetingScope scope, DuePolicy due, Texts texts)
    {
        public async Task<MeetingPage> HandleAsync(Query query, CancellationToken ct)
        {
            var access = await scope.GetAsync(ct);
            var units = await org.GetAsync(ct);
            var errors = new FieldErrors();
            var kind = RequestParsing.Enum<MeetingKind>(errors, texts, "kind", query.Kind);
            var status = RequestParsing.Enum<MeetingStatus>(errors, texts, "status", query.Status);
            var from = RequestParsing.Date(errors, texts, "from", query.From);
            var to = RequestParsing.Date(errors, texts, "to", query.To);
            UnitInfo? unit = null;
            if (!string.IsNullOrWhiteSpace(query.Unit) && !units.UnitsByCode.TryGetValue(query.Unit.Trim(), out unit))
            {
                errors.Add("unit", texts.Format("field.unknown-org-unit", query.Unit.Trim()));
            }
            var page = Math.Max(1, query.Page ?? 1);
            var size = Math.Clamp(query.PageSize ?? 50, 1, MaxPageSize);
            errors.ThrowIfAny();
            var q = access.Visible(db.Meetings.AsNoTracking(), db.Set<MeetingParticipant>().AsNoTracking());
            if (unit is not null)
            {
                var under = units.SelfAndDescendants(unit);
                q = q.Where(m => under.Contains(m.OrgUnitId));
            }
            if (kind is { } k)
            {
                q = q.Where(m => m.Kind == k);
            }
            if (status is { } s)
            {
                q = q.Where(m => m.Status == s);
            }
            if (from is { } f)
            {
                var start = due.EndOfLocalDay(f.AddDays(-1));
                q = q.Where(m => m.HeldAt >= start);
            }
            if (to is { } t)
            {
                var end = due.EndOfLocalDay(t);
                q = q.Where(m => m.HeldAt < end);
            }
            var total = await q.CountAsync(ct);
            var rows = await q.OrderByDescending(m => m.HeldAt).ThenByDescending(m => m.Id).Skip((page - 1) * size).Take(size)
                .Select(m => new
                {
                    m.Id, m.Title, m.Kind, m.Status, m.OrgUnitId, m.HeldAt, m.Place, m.Host, m.Expected, m.Present,
                    Items = m.Agenda.Count(),
                })
                .ToListAsync(ct);
            return new MeetingPage(rows.Select(r => new MeetingSummary(r.Id, r.Title, r.Kind, r.Status, units.Ref(r.OrgUnitId), r.HeldAt, r.Place,
                r.Host, r.Expected, r.Present, r.Expected > 0 ? Math.Round((decimal)r.Present / r.Expected, 4) : null, r.Items)).ToList(),
                total, page, size);
        }
    }

    public static async Task<Ok<MeetingPage>> Endpoint([AsParameters] Query query, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(query, ct));
}
