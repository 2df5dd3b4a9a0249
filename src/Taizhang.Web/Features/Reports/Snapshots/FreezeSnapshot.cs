using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Calendar;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Reports.Snapshots;

/// <summary>
/// 封存: POST /api/v1/reports/snapshots {month, town}. A closed month of a town (its last day over,
/// Asia/Shanghai) is computed as of its end and stored with the events hash and the seal, once.
/// </summary>
public static class FreezeSnapshot
{
    public sealed record Request(string? Month, string? Town);

    public sealed record Response(string Town, string Month, DateTime AsOf, DateTime CreatedAt, string CreatedBy, string CreatedByName,
        int CaseCount, int EventCount, string EventsHash, IReadOnlyDictionary<string, int> Totals);

    /// <summary>The month is frozen already: a snapshot is written once.</summary>
    public sealed class AlreadyFrozenException() : Exception("The month is frozen already.");

    public sealed class Handler(TaizhangDb db, OrgDirectory org, CurrentUser user, DuePolicy due, TimeProvider clock, Texts texts,
        SnapshotComputer computer, SnapshotSeal seal)
    {
        public const string AuditAction = "report.snapshot";

        public async Task<Response> HandleAsync(Request? request, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var units = await org.GetAsync(ct);
            var month = SnapshotAccess.Month(request?.Month, errors, texts);
            var town = SnapshotAccess.Town(units, request?.Town, errors, texts);
            errors.ThrowIfAny();
            var principal = await user.GetAsync(ct);
            SnapshotAccess.Require(principal, town!, Permission.DecideDeadlineChange);

            var first = month!.Value;
            var now = clock.GetUtcNow().UtcDateTime;
            if (due.EndOfLocalDay(first.AddMonths(1).AddDays(-1)) > now)
            {
                errors.Add("month", texts["snapshot.month-open"]);
                errors.ThrowIfAny();
            }
            var monthText = SnapshotAccess.Text(first);
            var snapshots = db.Set<ReportSnapshot>();
            if (await snapshots.AnyAsync(s => s.TownId == town!.Id && s.Month == monthText, ct))
            {
                throw new AlreadyFrozenException();
            }

            var content = await computer.ComputeAsync(town!, first, ct);
            var row = new ReportSnapshot
            {
                TownId = town!.Id,
                Month = monthText,
                FiguresJson = content.FiguresJson,
                EventsHash = content.EventsHash,
                EventCount = content.EventCount,
                CaseCount = content.CaseCount,
                // Whole microseconds: what both providers store, so the seal is over what is read back.
                CreatedAt = new DateTime(now.Ticks - now.Ticks % 10, DateTimeKind.Utc),
                CreatedBy = principal.Actor.Id,
                CreatedByName = principal.Actor.Name,
            };
            row.Signature = await seal.SignAsync(row, ct);
            snapshots.Add(row);
            db.Record(principal.Actor, now, AuditAction, $"{town.Code}/{monthText}",
                $"cases={content.CaseCount}; events={content.EventCount}; eventsHash={content.EventsHash}", town.Id);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                if (await AlreadyThereAsync(town.Id, monthText, ct))
                {
                    throw new AlreadyFrozenException();
                }
                throw;
            }
            return new Response(town.Code, monthText, content.Figures.AsOf, row.CreatedAt, row.CreatedBy, row.CreatedByName,
                row.CaseCount, row.EventCount, row.EventsHash, content.Figures.Totals);
        }

        /// <summary>Another freeze of the same month won the race (the unique index refused ours).</summary>
        private async Task<bool> AlreadyThereAsync(long townId, string month, CancellationToken ct)
        {
            db.ChangeTracker.Clear();
            return await db.Set<ReportSnapshot>().AsNoTracking().AnyAsync(s => s.TownId == townId && s.Month == month, ct);
        }
    }

    public static async Task<Results<Created<Response>, ProblemHttpResult>> Endpoint(Request? request, Handler handler, Texts texts, CancellationToken ct)
    {
        try
        {
            var r = await handler.HandleAsync(request, ct);
            return TypedResults.Created($"/api/v1/reports/snapshots/{Uri.EscapeDataString(r.Town)}/{r.Month}", r);
        }
        catch (AlreadyFrozenException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: ProblemTypes.Prefix + "snapshot-exists",
                title: texts["snapshot.exists"]);
        }
    }
}
