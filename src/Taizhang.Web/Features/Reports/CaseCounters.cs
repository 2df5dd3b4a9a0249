using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Taizhang.Domain.Access;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// County- and town-wide figures without counting the cases (issue 17, item 2): the board's stages and
/// the task list's queues from <see cref="CaseStatusCount"/>, a running period's headline figures from
/// <see cref="CaseFactCount"/> (both kept by triggers, <see cref="CaseCounterSql"/>), a closed period's
/// from <see cref="ClosedPeriodFigures"/> (computed once per town by the replay, then read). Each answer
/// is exactly what the old path (the ledger's filters, <see cref="PeriodFacts"/>) gives, or null when it
/// cannot be (a scope reached by assignment, a village's figures, filters, a period not made of whole
/// months): the caller then counts the old way. Measured in docs/BENCHMARKS.md ("County counters").
/// </summary>
public sealed class CaseCounters(TaizhangDb db, CurrentUser user, CalendarOptions calendar, IConfiguration configuration, TimeProvider clock)
{
    private readonly TimeZoneInfo _zone = TimeZoneInfo.FindSystemTimeZoneById(calendar.TimeZone);

    /// <summary>Off with <c>Reports:Counters=false</c> (everything is counted the old way).</summary>
    private bool Enabled => configuration.GetValue("Reports:Counters", true);

    /// <summary>
    /// Closed periods are persisted unless the closed-period cache is off (<c>Reports:ClosedPeriodCacheSeconds=0</c>:
    /// every figure computed again) or <c>Reports:PersistClosedPeriods=false</c>.
    /// </summary>
    private bool PersistClosed => configuration.GetValue("Reports:ClosedPeriodCacheSeconds", 300) > 0
        && configuration.GetValue("Reports:PersistClosedPeriods", true);

    /// <summary>
    /// How many cases in the caller's scope (reading) stand in one of <paramref name="statuses"/>: the same
    /// number as the ledger's count of <c>?status=…</c>; null when the scope is reached by assignment.
    /// </summary>
    public async Task<int?> StatusCountAsync(IReadOnlyCollection<CaseStatus> statuses, CancellationToken ct) =>
        await ScopedStatusRowsAsync(statuses, ct) is { } rows ? (int)await rows.SumAsync(c => c.Count, ct) : null;

    /// <summary>
    /// The caller's cases by status (every status, 0 where none), in one read: the board's seven stages from one statement
    /// instead of seven (each read the county's counter rows again: 3–34 ms apiece on PostgreSQL at 1,000,000 cases).
    /// Null when <see cref="StatusCountAsync"/> would be.
    /// </summary>
    public async Task<IReadOnlyDictionary<CaseStatus, int>?> StatusCountsAsync(CancellationToken ct)
    {
        if (await ScopedStatusRowsAsync(null, ct) is not { } rows)
        {
            return null;
        }
        var sums = await rows.GroupBy(c => c.Status).Select(g => new { Status = g.Key, Count = g.Sum(c => c.Count) }).ToListAsync(ct);
        var counts = Enum.GetValues<CaseStatus>().ToDictionary(s => s, _ => 0);
        foreach (var sum in sums)
        {
            counts[sum.Status] += (int)sum.Count;
        }
        return counts;
    }

    /// <summary>The status counter rows of the caller's scope (of <paramref name="statuses"/>, or all); null when the scope is reached by assignment.</summary>
    private async Task<IQueryable<StatusRow>?> ScopedStatusRowsAsync(IReadOnlyCollection<CaseStatus>? statuses, CancellationToken ct)
    {
        if (!Enabled || (await user.AccessAsync(ct)).AreaScope(Permission.ReadCases) is not { } scope)
        {
            return null;
        }
        var (towns, units) = scope;
        await CompactIfManyAsync(ct);
        var all = CaseCounterSql.WithDeltas(db,
            db.CaseStatusCounts.AsNoTracking().Select(c => new StatusRow { TownId = c.TownId, OrgUnitId = c.OrgUnitId, Status = c.Status, Count = c.Count }),
            db.CaseStatusCountDeltas.AsNoTracking().Select(c => new StatusRow { TownId = c.TownId, OrgUnitId = c.OrgUnitId, Status = c.Status, Count = c.Count }));
        var rows = statuses is null ? all : all.Where(c => statuses.Contains(c.Status));
        return (towns.Length > 0, units.Length > 0) switch
        {
            (true, false) => rows.Where(c => towns.Contains(c.TownId)),
            (true, true) => rows.Where(c => towns.Contains(c.TownId) || units.Contains(c.OrgUnitId)),
            _ => rows.Where(c => units.Contains(c.OrgUnitId)),
        };
    }

    /// <summary>One row of <see cref="CaseStatusCount"/> or its deltas, as the scope reads them.</summary>
    private sealed class StatusRow
    {
        public long TownId { get; init; }
        public long OrgUnitId { get; init; }
        public CaseStatus Status { get; init; }
        public long Count { get; init; }
    }

    /// <summary>Deltas past <c>Reports:CounterCompactAfterDeltas</c> (default 10,000) are folded before a read (PostgreSQL).</summary>
    private Task CompactIfManyAsync(CancellationToken ct) =>
        CaseCounterSql.CompactIfManyAsync(db, configuration.GetValue("Reports:CounterCompactAfterDeltas", 10_000), ct);

    /// <summary>The whole towns the caller reads, when that is all they read; null otherwise.</summary>
    /// <summary>The whole towns the caller reads (and nothing else), when the counters serve them; null otherwise.</summary>
    public Task<long[]?> WholeTownIdsAsync(CancellationToken ct) => WholeTownsAsync(ct);

    private async Task<long[]?> WholeTownsAsync(CancellationToken ct) =>
        Enabled && (await user.AccessAsync(ct)).AreaScope(Permission.ReadCases) is { Units.Length: 0, WholeTowns: { Length: > 0 } towns } ? towns : null;

    /// <summary>
    /// A running period's headline figures (its cohort as it stands now) from the month rows, when the period
    /// is whole months up to today (this month, this quarter, this year; the board's month clipped to today)
    /// and the caller reads whole towns only; null otherwise.
    /// </summary>
    public async Task<FigureCounts?> RunningTotalsAsync(Period period, DateOnly today, CancellationToken ct)
    {
        var lastMonthEnd = new DateOnly(period.To.Year, period.To.Month, 1).AddMonths(1).AddDays(-1);
        if (period.From.Day != 1 || period.To < today || (period.To != today && period.To != lastMonthEnd) || period.From > today
            || (db.Database.IsSqlite() && CaseCounterSql.FixedOffsetMinutes(_zone) is null)
            || await WholeTownsAsync(ct) is not { } towns)
        {
            return null;
        }
        var from = period.From.Year * 100 + period.From.Month;
        var to = period.To.Year * 100 + period.To.Month;
        await CompactIfManyAsync(ct);
        var all = CaseCounterSql.WithDeltas(db,
            db.CaseFactCounts.AsNoTracking().Select(c => new { c.TownId, c.Month, c.Status, c.Outcome, c.Satisfaction, c.OnTime, c.Reopened, c.FollowedUp, c.Returned, c.AssignedOnce, c.ContactedInTime, c.ResolvedByResident, c.Count }),
            db.CaseFactCountDeltas.AsNoTracking().Select(c => new { c.TownId, c.Month, c.Status, c.Outcome, c.Satisfaction, c.OnTime, c.Reopened, c.FollowedUp, c.Returned, c.AssignedOnce, c.ContactedInTime, c.ResolvedByResident, c.Count }));
        var rows = await all
            .Where(c => towns.Contains(c.TownId) && c.Month >= from && c.Month <= to && c.Count != 0)
            .GroupBy(c => new
            {
                c.Status, c.Outcome, c.Satisfaction, c.OnTime, c.Reopened, c.FollowedUp, c.Returned, c.AssignedOnce,
                c.ContactedInTime, c.ResolvedByResident,
            })
            .Select(g => new { g.Key, Count = g.Sum(c => c.Count) })
            .ToListAsync(ct);
        return FigureCounts.Of(rows.Where(r => r.Count != 0).Select(r => (new CaseFacts(r.Key.Status,
            r.Key.Outcome == "" ? null : Enum.Parse<Outcome>(r.Key.Outcome),
            r.Key.Satisfaction == "" ? null : Enum.Parse<Satisfaction>(r.Key.Satisfaction),
            r.Key.OnTime, r.Key.Reopened, r.Key.FollowedUp, r.Key.Returned, r.Key.AssignedOnce, r.Key.ContactedInTime,
            r.Key.ResolvedByResident < 0 ? null : r.Key.ResolvedByResident == 1), (int)r.Count)));
    }

    /// <summary>
    /// A closed period's headline figures for a caller who reads whole towns only: the sum of each town's
    /// persisted figures, a town's computed once (by <paramref name="compute"/>: the replay, for that town) when
    /// missing; null when the caller's scope is not whole towns or persisting is off.
    /// </summary>
    public async Task<FigureCounts?> ClosedTotalsAsync(Period period, Func<long, Task<FigureCounts>> compute, CancellationToken ct) =>
        (await ClosedTotalsAsync([period], (_, town) => compute(town), ct))?.GetValueOrDefault(period);

    /// <summary>
    /// <see cref="ClosedTotalsAsync(Period, Func{long, Task{FigureCounts}}, CancellationToken)"/> for several closed periods at
    /// once (a trend's months: one read of the towns' rows instead of one per month). Only the calendar periods are in the
    /// answer; null when the caller's scope is not whole towns or persisting is off.
    /// </summary>
    public async Task<IReadOnlyDictionary<Period, FigureCounts>?> ClosedTotalsAsync(IReadOnlyCollection<Period> periods,
        Func<Period, long, Task<FigureCounts>> compute, CancellationToken ct)
    {
        var calendar = periods.Where(IsCalendarPeriod).Distinct().ToList();
        if (!PersistClosed || await WholeTownsAsync(ct) is not { } towns)
        {
            return null;
        }
        var result = new Dictionary<Period, FigureCounts>();
        if (calendar.Count == 0)
        {
            return result;
        }
        var froms = calendar.Select(p => p.From).Distinct().ToArray();
        var tos = calendar.Select(p => p.To).Distinct().ToArray();
        var stored = await db.ClosedPeriodFigures.AsNoTracking()
            .Where(f => towns.Contains(f.TownId) && froms.Contains(f.From) && tos.Contains(f.To))
            .Select(f => new { f.TownId, f.From, f.To, f.Figures })
            .ToListAsync(ct);
        var byPeriod = stored.ToLookup(s => new Period(s.From, s.To));
        foreach (var period in calendar)
        {
            var total = FigureCounts.Zero;
            foreach (var s in byPeriod[period])
            {
                total = total.Plus(FigureCounts.FromDictionary(JsonSerializer.Deserialize<Dictionary<string, int>>(s.Figures)!));
            }
            foreach (var town in towns.Except(byPeriod[period].Select(s => s.TownId)))
            {
                var figures = await compute(period, town);
                total = total.Plus(figures);
                await StoreAsync(town, period, figures, ct);
            }
            result[period] = total;
        }
        return result;
    }

    /// <summary>
    /// A running period's breakdown (its cohort as it stands now, per dimension and value) and its headline figures, from the
    /// breakdown counters (<see cref="CaseBreakdownCount"/>), under the same conditions as <see cref="RunningTotalsAsync"/>;
    /// null otherwise. Every case is on exactly one "kind" row (channel, urgency, track), so the kind rows add up to the
    /// period's figures: the same as <see cref="RunningTotalsAsync"/> without reading the fact counters too (a county's year:
    /// 12,000 more rows).
    /// </summary>
    public async Task<(FigureCounts Totals, Breakdown Breakdown)?> RunningBreakdownAsync(Period period, DateOnly today, CancellationToken ct)
    {
        var lastMonthEnd = new DateOnly(period.To.Year, period.To.Month, 1).AddMonths(1).AddDays(-1);
        if (period.From.Day != 1 || period.To < today || (period.To != today && period.To != lastMonthEnd) || period.From > today
            || (db.Database.IsSqlite() && CaseCounterSql.FixedOffsetMinutes(_zone) is null)
            || await WholeTownsAsync(ct) is not { } towns)
        {
            return null;
        }
        await CompactIfManyAsync(ct);
        var sql = CaseCounterSql.SumBreakdown(db.Database.IsSqlite(), towns, period.From.Year * 100 + period.From.Month,
            period.To.Year * 100 + period.To.Month);
        var result = new Breakdown();
        var n = CaseFigures.All.Count;
        var totals = new int[n];
        await ReadAsync(sql, reader =>
        {
            var counts = new int[n];
            for (var i = 0; i < n; i++)
            {
                counts[i] = Convert.ToInt32(reader.GetValue(2 + i), CultureInfo.InvariantCulture);
            }
            var dimension = reader.GetString(0);
            if (dimension == CaseCounterSql.KindDimension)
            {
                for (var i = 0; i < n; i++)
                {
                    totals[i] += counts[i];
                }
            }
            result.AddCounted(dimension, reader.GetString(1), FigureCounts.FromCounts(counts));
        }, ct);
        return (FigureCounts.FromCounts(totals), result.WithoutEmpty());
    }

    /// <summary>
    /// A running period's per-unit events (the rankings') from the unit-event counters (<see cref="CaseUnitEventCount"/>),
    /// under the same conditions as <see cref="RunningTotalsAsync"/>; null otherwise.
    /// </summary>
    public async Task<IReadOnlyList<PeriodFacts.UnitEvents>?> RunningUnitEventsAsync(Period period, DateOnly today, CancellationToken ct)
    {
        var lastMonthEnd = new DateOnly(period.To.Year, period.To.Month, 1).AddMonths(1).AddDays(-1);
        if (period.From.Day != 1 || period.To < today || (period.To != today && period.To != lastMonthEnd) || period.From > today
            || (db.Database.IsSqlite() && CaseCounterSql.FixedOffsetMinutes(_zone) is null)
            || await WholeTownsAsync(ct) is not { } towns)
        {
            return null;
        }
        var sql = CaseCounterSql.SumUnitEvents(db.Database.IsSqlite(), towns, period.From.Year * 100 + period.From.Month,
            period.To.Year * 100 + period.To.Month);
        var rows = new List<(long Unit, string Kind, int Count)>();
        await ReadAsync(sql, r => rows.Add((r.GetInt64(0), r.GetString(1), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture))), ct);
        return rows.Where(r => r.Count != 0).GroupBy(r => r.Unit).Select(g =>
        {
            int Of(string kind) => g.Where(r => r.Kind == kind).Sum(r => r.Count);
            var supervisions = g.Where(r => r.Kind.StartsWith("supervision-", StringComparison.Ordinal))
                .ToDictionary(r => Enum.Parse<SupervisionLevel>(r.Kind["supervision-".Length..]), r => r.Count);
            return new PeriodFacts.UnitEvents(g.Key, Of("assigned"), Of("returns"), Of("reminders"), Of("notices"), supervisions);
        }).ToList();
    }

    /// <summary>Runs a generated query (every value in it a number) on the context's connection, row by row.</summary>
    private async Task ReadAsync(string sql, Action<System.Data.Common.DbDataReader> row, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(ct);
        }
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                row(reader);
            }
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>
    /// A closed period's figures and details (<see cref="ClosedPeriodDetails"/>: breakdown, unit events, overdue then) for a
    /// caller who reads whole towns only: the sum of each town's persisted row, a town's computed once (by
    /// <paramref name="compute"/>: the replay of that town's cohort) when missing or without details; null when the
    /// scope is not whole towns, persisting is off, or the period is not a calendar month, quarter or year.
    /// </summary>
    public async Task<(FigureCounts Totals, ClosedPeriodDetails Details)?> ClosedDetailsAsync(Period period,
        Func<long, Task<(FigureCounts, ClosedPeriodDetails)>> compute, CancellationToken ct)
    {
        if (!PersistClosed || !IsCalendarPeriod(period) || await WholeTownsAsync(ct) is not { } towns)
        {
            return null;
        }
        var stored = await db.ClosedPeriodFigures.AsNoTracking()
            .Where(f => towns.Contains(f.TownId) && f.From == period.From && f.To == period.To)
            .Select(f => new { f.TownId, f.Figures, f.Details })
            .ToListAsync(ct);
        var total = FigureCounts.Zero;
        var details = ClosedPeriodDetails.Empty;
        var found = new HashSet<long>();
        foreach (var s in stored)
        {
            if (ClosedPeriodDetails.FromJson(s.Details) is { } d)
            {
                total = total.Plus(FigureCounts.FromDictionary(JsonSerializer.Deserialize<Dictionary<string, int>>(s.Figures)!));
                details = details.Plus(d);
                found.Add(s.TownId);
            }
        }
        foreach (var town in towns.Except(found))
        {
            var (figures, computed) = await compute(town);
            total = total.Plus(figures);
            details = details.Plus(computed);
            await StoreAsync(town, period, figures, ct, computed.ToJson());
        }
        return (total, details);
    }

    /// <summary>A month, a quarter or a year: what is persisted (a custom period is not, so the table stays small).</summary>
    private static bool IsCalendarPeriod(Period p) =>
        p.From.Day == 1 && (p.To == p.From.AddMonths(1).AddDays(-1)
            || (p.To == p.From.AddMonths(3).AddDays(-1) && p.From.Month % 3 == 1)
            || (p.To == p.From.AddMonths(12).AddDays(-1) && p.From.Month == 1));

    /// <summary>The statuses a ledger query names when it names nothing else (a stage, a queue); null for any other query.</summary>
    public static CaseStatus[]? StatusesOnly(ListCases.Query q)
    {
        if (q.Status is null || (q with { Status = null, Sort = null }) != new ListCases.Query())
        {
            return null;
        }
        var statuses = new List<CaseStatus>();
        foreach (var part in q.Status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<CaseStatus>(part, ignoreCase: false, out var status) || !Enum.IsDefined(status))
            {
                return null;
            }
            statuses.Add(status);
        }
        return statuses.Count > 0 ? statuses.Distinct().ToArray() : null;
    }

    private async Task StoreAsync(long town, Period period, FigureCounts figures, CancellationToken ct, string? details = null)
    {
        var json = JsonSerializer.Serialize(figures.ToDictionary());
        var now = clock.GetUtcNow().UtcDateTime;
        // Two readers computing the same town at once store the same figures: the second insert is a no-op. Details
        // computed for a row that has only its figures are added to it (the same replay: the figures are the same).
        var sql = details is null
            ? "INSERT INTO \"ClosedPeriodFigures\" (\"TownId\", \"From\", \"To\", \"Figures\", \"ComputedAt\") VALUES ({0}, {1}, {2}, {3}, {4}) ON CONFLICT DO NOTHING"
            : "INSERT INTO \"ClosedPeriodFigures\" (\"TownId\", \"From\", \"To\", \"Figures\", \"ComputedAt\", \"Details\") VALUES ({0}, {1}, {2}, {3}, {4}, {5}) "
                + "ON CONFLICT (\"TownId\", \"From\", \"To\") DO UPDATE SET \"Details\" = excluded.\"Details\"";
        object[] values = db.Database.IsSqlite()
            ? [town, period.FromText, period.ToText, json, now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture), details ?? ""]
            : [town, period.From, period.To, json, now, details ?? ""];
        if (details is null)
        {
            values = values[..5];
        }
        try
        {
            await db.Database.ExecuteSqlRawAsync(sql, values, ct);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 5 or 6)
        {
            // The database's one writer is busy past the timeout (a long write such as the full-text backfill):
            // the figures are right and go back to the reader; storing them is left to the next reader.
        }
    }

    /// <summary>Forget every persisted closed period (recount-figures; after a back-dated correction or a town's units moved).</summary>
    public static Task<int> ForgetClosedAsync(TaizhangDb db, CancellationToken ct) => db.ClosedPeriodFigures.ExecuteDeleteAsync(ct);
}

/// <summary>
/// <c>recount-figures</c>: rebuilds the county counters from the cases (recreating their triggers) and forgets
/// every persisted closed period (recomputed from the event log when next asked), in one transaction that
/// holds off writers. For after a restore, a correction made outside the app, or a town's units moved. Exit 0.
/// </summary>
public static class RecountFiguresCommand
{
    public const string CommandName = "recount-figures";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == CommandName;

    public static async Task<int> RunCommandAsync(IServiceProvider services, TextWriter output, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(scope.ServiceProvider.GetRequiredService<CalendarOptions>().TimeZone);
        var took = await CaseCounterSql.EnsureAsync(db, zone, force: true, ct);
        var forgot = await CaseCounters.ForgetClosedAsync(db, ct);
        var statuses = await db.CaseStatusCounts.CountAsync(ct);
        var facts = await db.CaseFactCounts.CountAsync(ct);
        var breakdown = await db.CaseBreakdownCounts.CountAsync(ct);
        var unitEvents = await db.CaseUnitEventCounts.CountAsync(ct);
        output.WriteLine(FormattableString.Invariant(
            $"counted {statuses} status rows, {facts} fact rows, {breakdown} breakdown rows and {unitEvents} unit-event rows from the cases in {took!.Value.TotalMilliseconds:0} ms; forgot {forgot} persisted closed-period figures"));
        return 0;
    }
}

/// <summary>
/// PostgreSQL: folds the counters' deltas into their base rows (<see cref="CaseCounterSql.CompactAsync"/>) every
/// <c>Reports:CounterCompactSeconds</c> (default 5) on the node that runs the singleton jobs (<see cref="ClusterNode"/>;
/// a brief overlap of two leaders is harmless: compactions take a lock and run one at a time). Nothing on SQLite.
/// </summary>
public sealed class CaseCounterCompactor(IServiceScopeFactory scopes, DatabaseOptions database, IConfiguration configuration,
    ILogger<CaseCounterCompactor> log, ClusterNode? cluster = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue("Reports:CounterCompactSeconds", 5.0);
        if (!database.IsPostgres || seconds <= 0)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds), stoppingToken);
                if (cluster is not null)
                {
                    await cluster.WhenRunsJobsAsync(stoppingToken);
                }
                await using var scope = scopes.CreateAsyncScope();
                await CaseCounterSql.CompactAsync(scope.ServiceProvider.GetRequiredService<TaizhangDb>(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Nothing was half-folded (one transaction); the readers add up the deltas meanwhile; the next round tries again.
                log.LogWarning(e, "Counter compaction failed");
            }
        }
    }
}
