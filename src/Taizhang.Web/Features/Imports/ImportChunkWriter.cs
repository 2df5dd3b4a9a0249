using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Imports;

/// <summary>A row that passed every check: what its case is made of.</summary>
public sealed record ValidRow(
    int Row, string Reference, string Title, string Description, long OrgUnitId, long? CategoryId, ReporterInfo? Reporter, bool Anonymous,
    GeoLocation? Location, Urgency Urgency, DateOnly? ReceivedOn, DateOnly? DueDate);

/// <summary>What became of a valid row: its new case, or the case an earlier import of the same reference made.</summary>
public readonly record struct ChunkOutcome(long CaseId, bool Created, string? TrackingCode);

/// <summary>
/// Creates one chunk of an import's cases in ONE transaction: for each row not yet imported from the source,
/// the case (<see cref="Case.Register"/>), its first event, its reporter and its <see cref="ImportedRow"/> —
/// all or nothing. Not through the intake writer's queue: an import is one writer with thousands of rows,
/// and its chunk is already the batch. The one place a chunk's cases come into being: whatever must happen
/// with each new case in the same transaction (a notification outbox row) is added in <see cref="WriteAsync"/>.
/// </summary>
public sealed class ImportChunkWriter(TaizhangDb db, ImportHooks hooks, Cases.CaseIds caseIds, ILogger<ImportChunkWriter> log)
{
    private sealed record Inserts(TableInsert<Case> Cases, TableInsert<CaseEvent> Events, TableInsert<CaseReporter> Reporters, TableInsert<ImportedRow> Rows,
        TableInsert<CaseGram> Grams);

    private Inserts? _inserts;

    /// <summary>Another upload of the same source took a reference between the look-up and the insert: the chunk is done again.</summary>
    private sealed class ReferenceTakenException() : Exception("A reference of the chunk was imported meanwhile.");

    public async Task<ChunkOutcome[]> WriteAsync(ImportSource source, long runId, int chunk, IReadOnlyList<ValidRow> rows,
        Actor by, DateTime at, DuePolicy due, Func<string, string, string?> ratingHash, CancellationToken ct)
    {
        var inserts = _inserts ??= new Inserts(
            new TableInsert<Case>(db.Model, explicitKey: true), new TableInsert<CaseEvent>(db.Model, nameof(CaseEvent.CaseId)),
            new TableInsert<CaseReporter>(db.Model, nameof(CaseReporter.CaseId)), new TableInsert<ImportedRow>(db.Model),
            new TableInsert<CaseGram>(db.Model));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryWriteAsync(inserts, source, runId, chunk, rows, by, at, due, ratingHash, ct);
            }
            catch (Exception e) when (attempt < 3 && (e is ReferenceTakenException || DbErrors.IsConstraintViolation(e)))
            {
                // Nothing of the chunk is stored; the look-up now sees what the other upload committed.
                log.LogInformation("Import chunk {Chunk} of source {Source} met a concurrent import; done again", chunk, source.Id);
            }
        }
    }

    private async Task<ChunkOutcome[]> TryWriteAsync(Inserts inserts, ImportSource source, long runId, int chunk, IReadOnlyList<ValidRow> rows,
        Actor by, DateTime at, DuePolicy due, Func<string, string, string?> ratingHash, CancellationToken ct)
    {
        var outcomes = new ChunkOutcome[rows.Count];
        // Ids (and so tracking codes) for every row, reserved before the chunk's transaction takes the write lock;
        // those of rows already imported stay unused.
        var allocated = await caseIds.NextManyAsync(rows.Count, ct);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var references = rows.Select(r => r.Reference).ToArray();
            // Rows already imported from this source (earlier files, or an earlier try of this one).
            var existing = await db.ImportedRows.AsNoTracking()
                .Where(r => r.SourceId == source.Id && references.Contains(r.Reference))
                .Select(r => new { r.Reference, r.CaseId }).ToDictionaryAsync(r => r.Reference, r => r.CaseId, StringComparer.Ordinal, ct);
            var connection = db.Database.GetDbConnection();
            var transaction = tx.GetDbTransaction();
            var fresh = Enumerable.Range(0, rows.Count).Where(i => !existing.ContainsKey(rows[i].Reference)).ToList();
            foreach (var i in Enumerable.Range(0, rows.Count).Except(fresh))
            {
                outcomes[i] = new ChunkOutcome(existing[rows[i].Reference], Created: false, null);
            }
            var built = new Case[rows.Count];
            var ids = new long[rows.Count];
            Case Build(int i)
            {
                var row = rows[i];
                var (id, code) = allocated[i];
                ids[i] = id;
                return built[i] = Case.Register(source.TownId, row.OrgUnitId, source.Channel, row.Title, row.Description, row.Urgency, row.CategoryId,
                    row.Reporter, row.Location, row.Reference, idempotencyKey: null, meetingId: null, code, due, by, at,
                    sourceClientId: null, anonymous: row.Anonymous, ratingCodeHash: ratingHash(code, row.Reference), dueDate: row.DueDate, id: id);
            }
            var marks = new ImportedRow[rows.Count];
            ImportedRow Mark(int i) => marks[i] = new ImportedRow
            {
                SourceId = source.Id, TownId = source.TownId, Reference = rows[i].Reference, CaseId = ids[i], RunId = runId, ReceivedOn = rows[i].ReceivedOn,
            };
            if (db.Database.IsSqlite())
            {
                // In-process: prepared statements row by row are the fastest (a multi-row statement of thousands of
                // parameters is slower to bind than it saves).
                using var cases = inserts.Cases.Prepare(connection, transaction);
                using var events = inserts.Events.Prepare(connection, transaction);
                using var reporters = inserts.Reporters.Prepare(connection, transaction);
                using var imported = inserts.Rows.Prepare(connection, transaction);
                foreach (var i in fresh)
                {
                    if (await cases.InsertAsync(Build(i), ct: ct) is null)
                    {
                        // Ids are reserved from the table's counter: only a unique reference taken meanwhile gets here.
                        throw new ReferenceTakenException();
                    }
                    foreach (var e in built[i].Events)
                    {
                        await events.InsertAsync(e, ids[i], ct);
                    }
                    foreach (var r in built[i].Reporters)
                    {
                        await reporters.InsertAsync(r, ids[i], ct);
                    }
                    if (await imported.InsertAsync(Mark(i), ct: ct) is null)
                    {
                        throw new ReferenceTakenException();
                    }
                }
            }
            else
            {
                // Over the network: multi-row statements, a few per chunk (a round trip per row was most of the time).
                var inserted = await inserts.Cases.InsertManyAsync(connection, transaction, fresh.Select(Build).ToList(), null, [nameof(Case.Id)], ct);
                if (inserted.Count != fresh.Count)
                {
                    throw new ReferenceTakenException();
                }
                var events = fresh.SelectMany(i => built[i].Events.Select(e => (e, ids[i]))).ToList();
                await inserts.Events.InsertManyAsync(connection, transaction, events.Select(x => x.e).ToList(), events.Select(x => x.Item2).ToList(), [], ct);
                var reporters = fresh.SelectMany(i => built[i].Reporters.Select(r => (r, ids[i]))).ToList();
                await inserts.Reporters.InsertManyAsync(connection, transaction, reporters.Select(x => x.r).ToList(), reporters.Select(x => x.Item2).ToList(), [], ct);
                var rowsIn = await inserts.Rows.InsertManyAsync(connection, transaction, fresh.Select(Mark).ToList(), null, [nameof(ImportedRow.Id)], ct);
                if (rowsIn.Count != fresh.Count)
                {
                    // Another upload of the source imported one of these references since the look-up.
                    throw new ReferenceTakenException();
                }
            }
            // The new cases' full-text index rows (Data/CaseGram.cs), in the chunk's transaction.
            await inserts.Grams.InsertManyAsync(connection, transaction,
                fresh.Select(i => new CaseGram(ids[i], built[i].TownId, CaseGram.Of(built[i]))).ToList(), null, [], ct);
            foreach (var i in fresh)
            {
                outcomes[i] = new ChunkOutcome(ids[i], Created: true, built[i].TrackingCode);
            }
            // Here, in the chunk's transaction (built[i], ids[i] for i in fresh), is where a notification for each
            // new case would be queued.
            hooks.BeforeCommit(source.Id, chunk);
            await tx.CommitAsync(ct);
            return outcomes;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
