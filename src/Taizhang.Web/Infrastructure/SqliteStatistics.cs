using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;

namespace Taizhang.Web.Infrastructure;

/// <summary>
/// Keeps SQLite's planner statistics (sqlite_stat1) current. Without them SQLite cannot tell a
/// selective index from an ordered one: for "village + status, newest first" it walked the whole
/// town in date order (70 ms at 1,000,000 cases) instead of reading the few matching rows and
/// sorting them (2 ms). Runs ANALYZE in the background: once when an index of the case tables has
/// no statistics (a new file, or a migration added the index), then daily. A full ANALYZE, not a
/// sampled one: a sample of the first rows of each index sees one town only and misleads the
/// planner worse than no statistics.
/// It takes about a second per million cases and holds the write lock meanwhile, so intake waits
/// that long once a day. PostgreSQL keeps its own statistics (autovacuum).
/// </summary>
internal sealed class SqliteStatistics(IServiceScopeFactory scopes, ILogger<SqliteStatistics> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // After start-up, not during it.
            await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            if (!await HasStatisticsAsync(stoppingToken))
            {
                await AnalyzeAsync(stoppingToken);
            }
            using var timer = new PeriodicTimer(Interval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await AnalyzeAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Whether every full index of the case tables has statistics (a migration may have added one since).</summary>
    private async Task<bool> HasStatisticsAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var tables = await db.Database.SqlQueryRaw<long>(
            "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'").SingleAsync(ct);
        // Partial indexes are left out: one with no rows yet gets no statistics however often ANALYZE runs.
        return tables > 0 && await db.Database.SqlQueryRaw<long>(
            """
            SELECT COUNT(*) AS "Value" FROM sqlite_master m
            WHERE m.type = 'index' AND m.tbl_name IN ('Cases', 'CaseEvents', 'CaseReporters', 'CaseTexts') AND m.sql IS NOT NULL
              AND m.sql NOT LIKE '% WHERE %' AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.idx = m.name)
            """).SingleAsync(ct) == 0;
    }

    private async Task AnalyzeAsync(CancellationToken ct)
    {
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await db.Database.ExecuteSqlRawAsync("ANALYZE;", ct);
            log.LogInformation("SQLite statistics updated (ANALYZE) in {Ms} ms", started.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Slower plans, not wrong answers: log and try again at the next interval.
            log.LogWarning(e, "SQLite statistics could not be updated");
        }
    }
}
