using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Reports.Snapshots;

/// <summary>Reading snapshots: the list of a town's (or the caller's towns'), and one month's stored figures.</summary>
public static class ListSnapshots
{
    /// <param name="SignatureValid">The stored row still carries its seal; the figures and events are not recomputed here (that is verify).</param>
    public sealed record Item(string Town, string TownName, string Month, DateTime CreatedAt, string CreatedBy, string CreatedByName,
        int CaseCount, int EventCount, bool SignatureValid, string Verify);

    public sealed record Response(IReadOnlyList<Item> Items);

    public sealed record Detail(string Town, string TownName, string Month, DateTime AsOf, DateTime CreatedAt, string CreatedBy, string CreatedByName,
        int CaseCount, int EventCount, string EventsHash, IReadOnlyDictionary<string, int> Totals, IReadOnlyList<FactRow> Rows);

    public sealed class Handler(TaizhangDb db, OrgDirectory org, CurrentUser user, Texts texts, SnapshotSeal seal)
    {
        /// <param name="town">A town's code; none: every town the caller reads whole.</param>
        public async Task<Response> HandleAsync(string? town, CancellationToken ct)
        {
            var units = await org.GetAsync(ct);
            var principal = await user.GetAsync(ct);
            long[] towns;
            if (town is not null)
            {
                var errors = new FieldErrors();
                var unit = SnapshotAccess.Town(units, town, errors, texts);
                errors.ThrowIfAny();
                SnapshotAccess.Require(principal, unit!, Permission.ReadCases);
                towns = [unit!.Id];
            }
            else
            {
                towns = units.Units.Where(u => u.Kind == OrgUnitKind.Town && SnapshotAccess.Allows(principal, u, Permission.ReadCases)).Select(u => u.Id).ToArray();
            }
            var rows = await db.Set<ReportSnapshot>().AsNoTracking()
                .Where(s => towns.Contains(s.TownId))
                .OrderByDescending(s => s.Month).ThenBy(s => s.TownId)
                .ToListAsync(ct);
            var items = new List<Item>(rows.Count);
            foreach (var s in rows)
            {
                var t = units.UnitsById[s.TownId];
                items.Add(new Item(t.Code, t.Name, s.Month, s.CreatedAt, s.CreatedBy, s.CreatedByName, s.CaseCount, s.EventCount,
                    await seal.VerifyAsync(s, ct), $"/api/v1/reports/snapshots/{Uri.EscapeDataString(t.Code)}/{s.Month}/verify"));
            }
            return new Response(items);
        }

        public async Task<Detail> GetAsync(string town, string month, CancellationToken ct)
        {
            var (unit, s) = await SnapshotQueries.FindReadableAsync(db, org, user, texts, town, month, ct);
            var figures = SnapshotFigures.TryParse(s.FiguresJson);
            return new Detail(unit.Code, unit.Name, s.Month, figures?.AsOf ?? default, s.CreatedAt, s.CreatedBy, s.CreatedByName,
                s.CaseCount, s.EventCount, s.EventsHash, figures?.Totals ?? new Dictionary<string, int>(), figures?.Rows ?? []);
        }
    }

    public static async Task<Ok<Response>> Endpoint(string? town, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(town, ct));

    public static async Task<Ok<Detail>> GetEndpoint(string town, string month, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.GetAsync(town, month, ct));
}

internal static class SnapshotQueries
{
    /// <summary>A town's frozen month the caller may read: 400 for a malformed month, 404 for an unknown town or month.</summary>
    public static async Task<(UnitInfo Town, ReportSnapshot Snapshot)> FindReadableAsync(TaizhangDb db, OrgDirectory org, CurrentUser user, Texts texts,
        string town, string month, CancellationToken ct)
    {
        var units = await org.GetAsync(ct);
        if (!units.UnitsByCode.TryGetValue(town, out var unit) || unit.Kind != OrgUnitKind.Town)
        {
            throw new NotFoundException("orgUnit");
        }
        var errors = new FieldErrors();
        var first = SnapshotAccess.Month(month, errors, texts);
        errors.ThrowIfAny();
        SnapshotAccess.Require(await user.GetAsync(ct), unit, Permission.ReadCases);
        var text = SnapshotAccess.Text(first!.Value);
        var snapshot = await db.Set<ReportSnapshot>().AsNoTracking().FirstOrDefaultAsync(s => s.TownId == unit.Id && s.Month == text, ct)
            ?? throw new NotFoundException("snapshot");
        return (unit, snapshot);
    }
}
