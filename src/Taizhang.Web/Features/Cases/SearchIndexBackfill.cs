using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// Indexes the cases written before the full-text index existed (a database from an older version, a
/// bulk load that wrote only the cases), in chunks, in the background: the app starts and answers at
/// once, and text search scans the texts as before until every case is indexed (<see cref="Ready"/>),
/// then uses the index only. New cases are indexed by their writers; rows already there are skipped
/// (ON CONFLICT DO NOTHING), so two nodes backfilling together, or a writer racing the backfill, is harmless.
/// </summary>
public sealed class SearchIndexBackfill(IServiceScopeFactory scopes, ILogger<SearchIndexBackfill> log, IConfiguration? configuration = null) : BackgroundService
{
    /// <summary>How long after start the backfill first looks (<c>Search:BackfillStartDelaySeconds</c>, 2).</summary>
    private TimeSpan StartDelay => TimeSpan.FromSeconds(Math.Max(0, configuration?.GetValue("Search:BackfillStartDelaySeconds", 2.0) ?? 2.0));

    public const int ChunkSize = 1_000;

    private volatile bool _ready;

    /// <summary>Every case has its index row: search uses the index alone.</summary>
    public bool Ready => _ready;

    /// <summary>How many cases the backfill has indexed since the start (for the log and the tests).</summary>
    public long Indexed { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // A database whose index was complete when last checked (the marker lives in the database, so a restored
            // older one has none) searches the index from the first request; the counts below confirm it.
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
                _ready = await db.Settings.AsNoTracking().AnyAsync(s => s.Key == CompleteSetting, stoppingToken);
            }
            // Not while the server starts: its two counts took a core for a few hundred milliseconds of start-up at
            // 1,000,000 cases.
            await Task.Delay(StartDelay, stoppingToken);
            await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Search stays on the scan (correct, slower); the next start tries again.
            log.LogError(e, "Full-text index backfill failed; text search keeps scanning");
        }
    }

    /// <summary>Indexes every case without an index row; the tests call it directly.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        long last = 0, max;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            // Every index row belongs to a case (a foreign key, cascading): equal counts mean nothing is missing.
            // Two counts over the smallest indexes (about 50 ms at a million cases), not a scan of the texts.
            if (await db.CaseGrams.CountAsync(ct) == await db.Cases.CountAsync(ct))
            {
                _ready = true;
                await MarkCompleteAsync(db, ct);
                return;
            }
            // Cases without an index row (written by something that skipped it): search scans until they are indexed.
            _ready = false;
            max = await db.Cases.MaxAsync(c => (long?)c.Id, ct) ?? 0;
        }
        log.LogInformation("Full-text index: indexing the cases written before it (up to case {Max})", max);
        while (last < max)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            var (from, to) = (last, last + ChunkSize);
            // One key range of cases at a time; the anti-join on the index rows' key.
            var missing = (await db.Cases.AsNoTracking()
                .Where(c => c.Id > from && c.Id <= to && !db.CaseGrams.Any(g => g.CaseId == c.Id))
                .Select(c => new { c.Id, c.TownId, c.Title, c.Description, c.ExternalRef })
                .ToListAsync(ct))
                .Select(c => new CaseGram(c.Id, c.TownId, Domain.Cases.SearchGrams.Document(c.TownId, c.Title, c.Description, c.ExternalRef)))
                .ToList();
            last = to;
            if (missing.Count == 0)
            {
                continue;
            }
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await new TableInsert<CaseGram>(db.Model).InsertManyAsync(db.Database.GetDbConnection(), tx.GetDbTransaction(), missing, null, [], ct);
            await tx.CommitAsync(ct);
            Indexed += missing.Count;
        }
        _ready = true;
        await using (var scope = scopes.CreateAsyncScope())
        {
            await MarkCompleteAsync(scope.ServiceProvider.GetRequiredService<TaizhangDb>(), ct);
        }
        log.LogInformation("Full-text index complete ({Count} cases indexed now, {Seconds:F1} s)", Indexed, started.Elapsed.TotalSeconds);
    }

    /// <summary>The setting that says every case had its index row when last checked.</summary>
    public const string CompleteSetting = "search-index-complete";

    private static async Task MarkCompleteAsync(TaizhangDb db, CancellationToken ct)
    {
        if (await db.Settings.AnyAsync(s => s.Key == CompleteSetting, ct))
        {
            return;
        }
        db.Settings.Add(new Setting { Key = CompleteSetting, Value = "true", UpdatedAt = DateTime.UtcNow, UpdatedBy = "system:search-index" });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another node marked it at the same moment.
        }
    }
}
