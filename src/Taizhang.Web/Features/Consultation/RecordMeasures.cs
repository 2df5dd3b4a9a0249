using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Consultation;

/// <summary>
/// 记录成效: a resolved (or followed-up) case, or a meeting that was held, records outcome measures
/// from the town's list (key → quantity). A case's measures are its RecordMeasures event and the
/// <see cref="OutcomeTally"/> rows, in one save; a meeting's are rows only. An unknown key or a
/// quantity that is not a positive whole number is a field error (<c>measures.&lt;key&gt;</c>) and
/// nothing is saved.
/// </summary>
public static class RecordMeasures
{
    public sealed record Request(IReadOnlyDictionary<string, int>? Measures);

    public sealed record MeetingTally(string Key, string Name, string Unit, long Quantity);

    public sealed record MeetingMeasures(long MeetingId, IReadOnlyList<MeetingTally> Totals);

    /// <summary>The measures as recorded, or field errors against the list in force.</summary>
    public static IReadOnlyDictionary<string, int> Validate(Request? request, IReadOnlyList<OutcomeMeasure> list, Texts texts)
    {
        var errors = new FieldErrors();
        var measures = request?.Measures;
        if (measures is null || measures.Count == 0)
        {
            errors.Add("measures", texts["consultation.measures.none"]);
            errors.ThrowIfAny();
        }
        var known = list.Select(m => m.Key).ToHashSet(StringComparer.Ordinal);
        var result = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (rawKey, quantity) in measures!)
        {
            var key = rawKey?.Trim() ?? string.Empty;
            var field = "measures." + (key.Length > OutcomeMeasure.KeyMaxLength ? key[..OutcomeMeasure.KeyMaxLength] : key);
            if (!known.Contains(key))
            {
                errors.Add(field, texts.Format("consultation.measures.unknown", key.Length > 40 ? key[..40] : key));
            }
            else if (quantity is <= 0 or > OutcomeMeasure.MaxQuantity)
            {
                errors.Add(field, texts.Format("consultation.measures.quantity", OutcomeMeasure.MaxQuantity));
            }
            else
            {
                result[key] = quantity;
            }
        }
        errors.ThrowIfAny();
        return result;
    }

    public sealed class CaseHandler(CaseWorkbench work, OutcomeMeasures.Handler measures, Texts texts)
    {
        public async Task<CaseDetail> HandleAsync(long id, Request? request, CancellationToken ct)
        {
            var list = await measures.CurrentAsync(ct);
            return await work.ChangeAsync(id, CaseAction.RecordMeasures, c =>
            {
                var recorded = Validate(request, list, texts);
                c.Case.RecordMeasures(recorded, c.By, c.At);
                c.Db.OutcomeTallies.AddRange(recorded.Select(m => new OutcomeTally
                {
                    TownId = c.Case.TownId,
                    OrgUnitId = c.Case.OrgUnitId,
                    CaseId = c.Case.Id,
                    MeasureKey = m.Key,
                    Quantity = m.Value,
                    RecordedAt = c.At,
                    RecordedBy = c.By.Name,
                }));
            }, ct);
        }
    }

    public sealed class MeetingHandler(TaizhangDb db, CurrentUser user, OutcomeMeasures.Handler measures, Texts texts, TimeProvider clock)
    {
        public async Task<MeetingMeasures> HandleAsync(long id, Request? request, CancellationToken ct)
        {
            var meeting = await db.Meetings.AsNoTracking().Where(m => m.Id == id)
                .Select(m => new { m.Id, m.TownId, m.OrgUnitId, m.Status }).FirstOrDefaultAsync(ct)
                ?? throw new NotFoundException("meeting");
            var access = await user.AccessAsync(ct);
            if (!access.CanSee(meeting.OrgUnitId, null))
            {
                throw new NotFoundException("meeting");
            }
            if (!access.Can(Permission.RunMeetings, meeting.OrgUnitId, null))
            {
                throw new ForbiddenException();
            }
            var list = await measures.CurrentAsync(ct);
            var recorded = Validate(request, list, texts);
            if (!ConsultationFigures.HeldStatuses.Contains(meeting.Status))
            {
                throw new DomainRuleException("consultation.measures-meeting-not-held", "Only a meeting that was held records outcome measures.",
                    new Dictionary<string, string> { ["state"] = meeting.Status.ToString() }, field: "measures");
            }
            var by = await user.ActorAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            db.OutcomeTallies.AddRange(recorded.Select(m => new OutcomeTally
            {
                TownId = meeting.TownId,
                OrgUnitId = meeting.OrgUnitId,
                MeetingId = meeting.Id,
                MeasureKey = m.Key,
                Quantity = m.Value,
                RecordedAt = now,
                RecordedBy = by.Name,
            }));
            await db.SaveChangesAsync(ct);
            return await TotalsAsync(meeting.Id, list, ct);
        }

        public async Task<MeetingMeasures> TotalsAsync(long meetingId, IReadOnlyList<OutcomeMeasure> list, CancellationToken ct)
        {
            var rows = await db.OutcomeTallies.AsNoTracking().Where(t => t.MeetingId == meetingId)
                .GroupBy(t => t.MeasureKey).Select(g => new { Key = g.Key, Quantity = g.Sum(t => (long)t.Quantity) }).ToListAsync(ct);
            var byKey = list.ToDictionary(m => m.Key, StringComparer.Ordinal);
            return new MeetingMeasures(meetingId, rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => byKey.TryGetValue(r.Key, out var m)
                ? new MeetingTally(r.Key, m.Name, m.Unit, r.Quantity)
                : new MeetingTally(r.Key, r.Key, string.Empty, r.Quantity)).ToList());
        }
    }

    public static async Task<Ok<CaseDetail>> CaseEndpoint(long id, Request? request, CaseHandler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request, ct));

    public static async Task<Ok<MeetingMeasures>> MeetingEndpoint(long id, Request? request, MeetingHandler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(id, request, ct));
}
