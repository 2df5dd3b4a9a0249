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
public sealed class ImportChunkWriter(TaizhangDb db, ImportHooks hooks, ILogger<ImportChunkWriter> log)
{
    private sealed record Inserts(TableInsert<Case> Cases, TableInsert<CaseEvent> Events, TableInsert<CaseReporter> Reporters, TableInsert<ImportedRow> Rows);

    private Inserts? _inserts;

    /// <summary>Another upload of the same source took a reference between the look-up and the insert: the chunk is done again.</summary>
    private sealed class ReferenceTakenException() : Exception("A reference of the chunk was imported meanwhile.");

    public async Task<ChunkOutcome[]> WriteAsync(ImportSource source, long runId, int chunk, IReadOnlyList<ValidRow> rows,
        Actor by, DateTime at, DuePolicy due, Func<string, string, string?> ratingHash, CancellationToken ct)
    {
        var inserts = _inserts ??= new Inserts(
            new TableInsert<Case>(db.Model), new TableInsert<CaseEvent>(db.Model, nameof(CaseEvent.CaseId)),
            new TableInsert<CaseReporter>(db.Model, nameof(CaseReporter.CaseId)), new TableInsert<ImportedRow>(db.Model));
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
            using var cases = inserts.Cases.Prepare(connection, transaction);
            using var events = inserts.Events.Prepare(connection, transaction);
            using var reporters = inserts.Reporters.Prepare(connection, transaction);
            using var imported = inserts.Rows.Prepare(connection, transaction);
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                if (existing.TryGetValue(row.Reference, out var earlier))
                {
                    outcomes[i] = new ChunkOutcome(earlier, Created: false, null);
                    continue;
                }
                Case c;
                long? id;
                var tries = 0;
                do
                {
                    // Random tracking codes rarely meet an existing one: the case is built again with a new code
                    // (its event is sealed with its code). The insert of a taken code stores nothing.
                    var code = TrackingCodes.New();
                    c = Case.Register(source.TownId, row.OrgUnitId, source.Channel, row.Title, row.Description, row.Urgency, row.CategoryId,
                        row.Reporter, row.Location, row.Reference, idempotencyKey: null, meetingId: null, code, due, by, at,
                        sourceClientId: null, anonymous: row.Anonymous, ratingCodeHash: ratingHash(code, row.Reference), dueDate: row.DueDate);
                    id = await cases.InsertAsync(c, ct: ct);
                }
                while (id is null && ++tries < 5);
                if (id is not { } caseId)
                {
                    throw new UnavailableException();
                }
                foreach (var e in c.Events)
                {
                    await events.InsertAsync(e, caseId, ct);
                }
                foreach (var r in c.Reporters)
                {
                    await reporters.InsertAsync(r, caseId, ct);
                }
                var mark = new ImportedRow { SourceId = source.Id, Reference = row.Reference, CaseId = caseId, RunId = runId, ReceivedOn = row.ReceivedOn };
                if (await imported.InsertAsync(mark, ct: ct) is null)
                {
                    throw new ReferenceTakenException();
                }
                // Here, in the chunk's transaction, is where a notification for the new case would be queued.
                outcomes[i] = new ChunkOutcome(caseId, Created: true, c.TrackingCode);
            }
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
