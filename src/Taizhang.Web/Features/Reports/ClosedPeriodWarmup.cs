using Microsoft.Extensions.Diagnostics.HealthChecks;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// Computes each town's closed-period figures before anyone asks (issue 16 item 9, issue 17 item 2). A closed
/// period's figures are computed once per town by the replay (<see cref="PeriodFacts"/>) and then persisted
/// (<see cref="CaseCounters"/>); the first reader of a period paid that replay — for a county's board, eleven closed
/// months and last year for every town, which at 1,000,000 cases took longer than a browser waits. This job, on the
/// node that runs the singleton jobs, asks for every closed period the board and the reports show by default (the
/// last twelve months, the last quarter, last year) with a county-wide reach, shortly after start and then every
/// <c>Reports:WarmupMinutes</c> (60; a month that has just ended is done within the hour). What is stored already
/// costs one read per period. Off with <c>Reports:Warmup=false</c>. <c>/health</c> reports Degraded until the first
/// pass is done (readiness does not wait for it: readers compute what is missing themselves, as before).
/// </summary>
public sealed class ClosedPeriodWarmup(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<ClosedPeriodWarmup> log,
    ClusterNode? cluster = null) : BackgroundService
{
    private volatile bool _warm;

    /// <summary>The first pass has run (or the job is off).</summary>
    public bool Warm => _warm || !Enabled;

    /// <summary>How long the last pass took, and how many periods it asked for.</summary>
    public (TimeSpan Took, int Periods)? LastPass { get; private set; }

    private bool Enabled => configuration.GetValue("Reports:Warmup", true)
        && configuration.GetValue("Reports:ClosedPeriodCacheSeconds", 300) > 0
        && configuration.GetValue("Reports:PersistClosedPeriods", true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        var delay = TimeSpan.FromSeconds(Math.Max(0, configuration.GetValue("Reports:WarmupStartDelaySeconds", 5.0)));
        var every = TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue("Reports:WarmupMinutes", 60.0)));
        try
        {
            await Task.Delay(delay, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                if (cluster is not null)
                {
                    await cluster.WhenRunsJobsAsync(stoppingToken);
                }
                try
                {
                    await RunPassAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // Readers compute what is missing themselves; the next pass tries again.
                    log.LogWarning(e, "Closed-period warm-up failed");
                }
                _warm = true;
                await Task.Delay(every, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: every default closed period, county-wide (the tests call it directly).</summary>
    public async Task RunPassAsync(CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        OrgDirectory.Snapshot units;
        await using (var first = scopes.CreateAsyncScope())
        {
            units = await first.ServiceProvider.GetRequiredService<OrgDirectory>().GetAsync(ct);
        }
        await using (var fold = scopes.CreateAsyncScope())
        {
            // SQLite: the months before this one into the breakdown's year roll-up (a running year's county read). A failure
            // costs readers time, not figures (they read the months not folded in): the warm-up goes on.
            try
            {
                var today = fold.ServiceProvider.GetRequiredService<PeriodFacts.Handler>().Today;
                var lastMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
                await Data.CaseCounterSql.AbsorbYearsAsync(fold.ServiceProvider.GetRequiredService<Data.TaizhangDb>(), lastMonth.Year * 100 + lastMonth.Month, ct);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
            {
                log.LogWarning("Folding months into the year roll-up failed ({Error}); the next pass tries again", e.GetType().Name);
            }
        }
        IReadOnlyList<Period> periods = [];
        // As a reader of each top unit (the county): every town's cases, as a county leader's board reads them.
        foreach (var top in units.UnitsById.Values.Where(u => u.ParentId is null).OrderBy(u => u.Id))
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            services.GetRequiredService<CurrentUser>().ActAsReaderOf(top, "system:figures-warmup", "报表预计算");
            var facts = services.GetRequiredService<PeriodFacts.Handler>();
            periods = Periods(facts.Today);
            foreach (var period in periods)
            {
                // Each with everything a report of it shows (tables, rankings, the lists as of then), not its totals
                // only: a county leader who picks an older month of the trend on /reports otherwise waited for every
                // town's replay (6.8 s at 1,000,000 cases), once per month.
                await facts.WholeTownAsync(period, ct);
            }
        }
        LastPass = (watch.Elapsed, periods.Count);
        log.LogInformation("Closed-period figures warm: {Periods} periods in {Seconds:0.0} s", periods.Count, watch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The closed periods the board and the reports show by default on <paramref name="today"/>, and those the reports
    /// one click away show (上月, last quarter, last year): the twelve months' closed ones (the trend, last month and the
    /// one before it), the last quarter and the one before it (this quarter's previous period, last quarter's report),
    /// last year (this year's previous period); then the older months of last month's, last quarter's and last year's
    /// own trends and the year before last (last year's previous period). Without these, the first reader of last month
    /// at county scope replayed the thirteenth month of its trend for every town (7 s at 1,000,000 cases).
    /// </summary>
    public static IReadOnlyList<Period> Periods(DateOnly today)
    {
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var months = Period.TwelveMonths(today).Where(m => m.From < thisMonth);
        var lastQuarter = Period.Quarter(Period.Quarter(today).From.AddMonths(-3));
        var quarterBefore = Period.Quarter(lastQuarter.From.AddMonths(-3));
        var lastYear = Period.Year(new DateOnly(today.Year - 1, 1, 1));
        var olderMonths = Period.TwelveMonths(thisMonth.AddMonths(-1))
            .Concat(Period.TwelveMonths(lastQuarter.To))
            .Concat(Period.TwelveMonths(lastYear.To))
            .OrderByDescending(m => m.From);
        var yearBefore = Period.Year(new DateOnly(today.Year - 2, 1, 1));
        return months.Reverse().Concat([lastQuarter, quarterBefore, lastYear]).Concat(olderMonths).Append(yearBefore)
            .Where(p => p.From.Year >= ReportData.MinYear).Distinct().ToList();
    }
}

/// <summary>/health: Degraded until the first warm-up pass is done (figures are right either way; only slower to come).</summary>
public sealed class ClosedPeriodWarmupHealthCheck(ClosedPeriodWarmup warmup) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(warmup.Warm
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("Closed-period figures are still being computed."));
}
