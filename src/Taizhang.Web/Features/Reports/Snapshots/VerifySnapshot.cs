using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Reports.Snapshots;

/// <summary>
/// Checks a frozen month: its seal (nobody changed the stored row), its figures (recomputed as of the
/// month's end from the event log now) and its events hash (the events behind them, recomputed from
/// their content). GET /api/v1/reports/snapshots/{town}/{month}/verify, and on the server's command
/// line <c>verify-snapshot [TOWN [MONTH]]</c>.
/// </summary>
public static class VerifySnapshot
{
    /// <param name="What">signature, figures, rows, figure:&lt;key&gt;, events, event-count, case-count.</param>
    public sealed record Difference(string What, string? Frozen, string? Now);

    public sealed record Response(string Town, string Month, bool Valid, bool SignatureValid, bool FiguresMatch, bool EventsMatch,
        IReadOnlyList<Difference> Differences, DateTime CreatedAt, string CreatedBy, string CreatedByName, int CaseCount, int EventCount);

    /// <summary>The check itself, for anyone's snapshot (the caller decides who may ask).</summary>
    public sealed class Verifier(SnapshotComputer computer, SnapshotSeal seal)
    {
        public async Task<Response> VerifyAsync(ReportSnapshot s, UnitInfo town, CancellationToken ct)
        {
            var differences = new List<Difference>();
            var signatureValid = await seal.VerifyAsync(s, ct);
            if (!signatureValid)
            {
                differences.Add(new("signature", s.Signature, null));
            }
            var first = DateOnly.ParseExact(s.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var now = await computer.ComputeAsync(town, first, ct);

            var figuresMatch = string.Equals(s.FiguresJson, now.FiguresJson, StringComparison.Ordinal);
            if (!figuresMatch)
            {
                if (SnapshotFigures.TryParse(s.FiguresJson) is not { } frozen)
                {
                    differences.Add(new("figures", "unreadable", null));
                }
                else
                {
                    var before = differences.Count;
                    foreach (var (key, value) in now.Figures.Totals)
                    {
                        var had = frozen.Totals?.TryGetValue(key, out var v) == true ? v : (int?)null;
                        if (had != value)
                        {
                            differences.Add(new("figure:" + key, had?.ToString(CultureInfo.InvariantCulture), value.ToString(CultureInfo.InvariantCulture)));
                        }
                    }
                    if (differences.Count == before)
                    {
                        // Same totals, other groups: a case counted for another village, unit, channel or category.
                        differences.Add(new("rows", frozen.Rows?.Count.ToString(CultureInfo.InvariantCulture), now.Figures.Rows.Count.ToString(CultureInfo.InvariantCulture)));
                    }
                }
            }
            if (s.CaseCount != now.CaseCount)
            {
                differences.Add(new("case-count", s.CaseCount.ToString(CultureInfo.InvariantCulture), now.CaseCount.ToString(CultureInfo.InvariantCulture)));
            }
            if (s.EventCount != now.EventCount)
            {
                differences.Add(new("event-count", s.EventCount.ToString(CultureInfo.InvariantCulture), now.EventCount.ToString(CultureInfo.InvariantCulture)));
            }
            var eventsMatch = string.Equals(s.EventsHash, now.EventsHash, StringComparison.Ordinal) && s.EventCount == now.EventCount;
            if (!string.Equals(s.EventsHash, now.EventsHash, StringComparison.Ordinal))
            {
                differences.Add(new("events", s.EventsHash, now.EventsHash));
            }
            return new Response(town.Code, s.Month, signatureValid && figuresMatch && eventsMatch && s.CaseCount == now.CaseCount,
                signatureValid, figuresMatch, eventsMatch, differences, s.CreatedAt, s.CreatedBy, s.CreatedByName, s.CaseCount, s.EventCount);
        }
    }

    public sealed class Handler(TaizhangDb db, OrgDirectory org, CurrentUser user, Texts texts, Verifier verifier)
    {
        public async Task<Response> HandleAsync(string town, string month, CancellationToken ct)
        {
            var (unit, snapshot) = await SnapshotQueries.FindReadableAsync(db, org, user, texts, town, month, ct);
            return await verifier.VerifyAsync(snapshot, unit, ct);
        }
    }

    public static async Task<Ok<Response>> Endpoint(string town, string month, Handler handler, CancellationToken ct) =>
        TypedResults.Ok(await handler.HandleAsync(town, month, ct));

    public const string CommandName = "verify-snapshot";

    /// <summary><c>verify-snapshot …</c>, or the ledger's <c>verify</c> asked for snapshots: <c>verify --snapshot [TOWN [MONTH]]</c>.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && (args[0] == CommandName || (args[0] == "verify" && args.Contains("--snapshot")));

    /// <summary>
    /// <c>verify-snapshot [TOWN [MONTH]]</c> (or <c>verify --snapshot [TOWN [MONTH]]</c>): every snapshot, a town's, or one month's. Exit code 0 when
    /// all verify, 1 when one does not, 2 for bad arguments or nothing to check. Arguments beginning
    /// with "--" are configuration (--Database:ConnectionString=…), not operands.
    /// </summary>
    public static async Task<int> RunCommandAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken ct = default)
    {
        var operands = args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        if (operands.Length > 2)
        {
            output.WriteLine("usage: verify-snapshot [TOWN [MONTH]]");
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var units = await scope.ServiceProvider.GetRequiredService<OrgDirectory>().GetAsync(ct);
        var query = db.Set<ReportSnapshot>().AsNoTracking();
        if (operands.Length > 0)
        {
            if (!units.UnitsByCode.TryGetValue(operands[0], out var town) || town.Kind != Domain.Organization.OrgUnitKind.Town)
            {
                output.WriteLine($"error: no town has the code {operands[0]}");
                return 2;
            }
            query = query.Where(s => s.TownId == town.Id);
        }
        if (operands.Length > 1)
        {
            var month = operands[1];
            query = query.Where(s => s.Month == month);
        }
        var snapshots = await query.OrderBy(s => s.TownId).ThenBy(s => s.Month).ToListAsync(ct);
        if (snapshots.Count == 0)
        {
            output.WriteLine("error: no snapshot" + (operands.Length > 0 ? " of " + string.Join(' ', operands) : ""));
            return 2;
        }
        var verifier = scope.ServiceProvider.GetRequiredService<Verifier>();
        // Times as the pages show them: the office's zone (Asia/Shanghai), with its offset.
        var zone = scope.ServiceProvider.GetRequiredService<Domain.Calendar.DuePolicy>().Zone;
        string Local(DateTime utc) => new DateTimeOffset(utc, TimeSpan.Zero).ToOffset(zone.GetUtcOffset(utc)).ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);
        var invalid = 0;
        foreach (var s in snapshots)
        {
            var r = await verifier.VerifyAsync(s, units.UnitsById[s.TownId], ct);
            if (r.Valid)
            {
                output.WriteLine($"valid: {r.Town} {r.Month} ({r.CaseCount} cases, {r.EventCount} events, frozen {Local(r.CreatedAt)} by {r.CreatedBy})");
                continue;
            }
            invalid++;
            output.WriteLine($"INVALID: {r.Town} {r.Month}: signature {(r.SignatureValid ? "valid" : "INVALID")}, figures {(r.FiguresMatch ? "match" : "DIFFER")}, events {(r.EventsMatch ? "match" : "DIFFER")}");
            foreach (var d in r.Differences)
            {
                output.WriteLine($"  {d.What}: frozen {d.Frozen ?? "-"}, now {d.Now ?? "-"}");
            }
        }
        output.WriteLine($"checked {snapshots.Count} snapshot(s), {invalid} invalid");
        return invalid == 0 ? 0 : 1;
    }
}
