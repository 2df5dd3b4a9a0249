using Taizhang.Domain.Organization;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// Computes and persists each town's closed months (the board's last twelve) and last year before anyone asks
/// (<see cref="CaseCounters.ClosedTotalsAsync"/>: a closed period is replayed once per town, then read). Without it
/// the first county board after a start or a month's turn replays 12 months × every town that no reader has asked
/// for yet: at 1,000,000 cases more than 10 s, so the bench's county board never answered within its window
/// (docs/BENCHMARKS.md, "Ledger, board and my-tasks at county scope"). Town by town, each in a scope of its own as
/// a reader of that town (<see cref="CurrentUser.ActAsReaderOf"/>, as snapshots are computed), on the node that runs
/// the jobs; then again every <c>Reports:WarmupHours</c> (6), which picks up a month that has just closed.
/// Off with <c>Reports:WarmupSeconds=0</c> (the delay after start, default 20 s; the tests turn it off: they move
/// the clock back and register into months a warm-up would already have persisted).
/// </summary>
public sealed class ClosedFiguresWarmup(IServiceScopeFactory scopes, OrgDirectory org, IConfiguration configuration,
    TimeProvider clock, ILogger<ClosedFiguresWarmup> log, ClusterNode? cluster = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = configuration.GetValue("Reports:WarmupSeconds", 20.0);
        if (delay <= 0 || !configuration.GetValue("Reports:Counters", true))
        {
            return;
        }
        var every = TimeSpan.FromHours(Math.Max(0.1, configuration.GetValue("Reports:WarmupHours", 6.0)));
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(delay), clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                if (cluster is not null)
                {
                    await cluster.WhenRunsJobsAsync(stoppingToken);
                }
                try
                {
                    await WarmAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A reader computes what is missing as before; the next round tries again.
                    log.LogWarning(e, "Warming the closed periods' figures failed");
                }
                await Task.Delay(every, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Every town's last twelve closed months and last year, computed where missing (read where not).</summary>
    public async Task WarmAsync(CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var units = await org.GetAsync(ct);
        var towns = units.Units.Where(u => u.Kind == OrgUnitKind.Town).OrderBy(u => u.Id).ToList();
        foreach (var town in towns)
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            services.GetRequiredService<CurrentUser>().ActAsReaderOf(town, "system:figures-warmup", "报表预计算");
            var facts = services.GetRequiredService<PeriodFacts.Handler>();
            var today = facts.Today;
            var now = clock.GetUtcNow().UtcDateTime;
            var periods = Period.TwelveMonths(today).Append(Period.Year(new DateOnly(today.Year - 1, 1, 1)));
            foreach (var period in periods.Where(p => facts.AsOf(p) < now))
            {
                await facts.TotalsAsync(period, ct);
            }
        }
        log.LogInformation("Closed periods' figures of {Towns} towns ready in {Ms} ms", towns.Count, started.ElapsedMilliseconds);
    }
}
