using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Taizhang.Domain;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>Most registrations committed in one transaction.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>Registrations waiting beyond this make callers wait (back-pressure).</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>/health/ready fails when a queued registration has waited longer than this (the writer is stuck).</summary>
    public int StuckAfterSeconds { get; set; } = 30;

    /// <summary>
    /// The intake journal (IntakeJournal.cs): on by default for a SQLite database file, never on PostgreSQL (where
    /// several nodes share the database and a node's local file would not be shared). false turns it off.
    /// </summary>
    public bool? Journal { get; set; }

    /// <summary>Journaled registrations not yet in the ledger beyond this make new ones wait for the applier.</summary>
    public int JournalMaxBacklog { get; set; } = 100_000;

    /// <summary>Most journal records the applier writes to the ledger in one transaction.</summary>
    public int JournalApplyBatch { get; set; } = 256;

    /// <summary>A journal segment is closed and a new one started past this size.</summary>
    public long JournalSegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// false: registrations are journaled but not applied until the next start (a maintenance window, and the
    /// tests of the replay). Callers waiting for the ledger then wait until shutdown, when they hear "unavailable".
    /// </summary>
    public bool JournalApply { get; set; } = true;
}


/// <summary>
/// Group commit for intake: concurrent registrations are queued to this one writer, which
/// commits whatever has queued up as one transaction and completes each caller only after
/// that commit. One fsync serves many registrations; none is acknowledged before it is durable.
/// </summary>
public sealed partial class IntakeWriter(IServiceScopeFactory scopes, IntakeOptions options, TimeProvider clock, ILogger<IntakeWriter> log,
    DatabaseOptions? database = null, CaseChangeSignal? changes = null) : BackgroundService
{
    // Checked here, when the host starts: a batch of 0 would spin without ever committing.
    private readonly int _maxBatch = AtLeastOne(options.MaxBatch, nameof(IntakeOptions.MaxBatch));

    private readonly Channel<Pending> _queue = System.Threading.Channels.Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(AtLeastOne(options.QueueCapacity, nameof(IntakeOptions.QueueCapacity)))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

    /// <param name="Pending">Acknowledged from the journal: durable, not yet in the ledger's tables (lists, counts
    /// and search show it once applied; reading it by id waits for that, <see cref="WaitAppliedAsync"/>).</param>
    public readonly record struct Result(long CaseId, bool Created, bool Pending = false);

    /// <summary>For /health/ready: whether the writer takes registrations, how many wait, and how long the oldest has waited.</summary>
    public readonly record struct Status(bool Accepting, int Queued, TimeSpan OldestWait);

    public Status GetStatus()
    {
        var oldest = _queue.Reader.TryPeek(out var p) ? clock.GetElapsedTime(p.QueuedAt) : TimeSpan.Zero;
        var running = ExecuteTask is null or { IsCompleted: false };
        return new Status(running && !_completed, _queue.Reader.Count, oldest);
    }

    // Set when the writer stops taking registrations (shutdown), before the queue is closed.
    private volatile bool _completed;

    public Task<Result> SubmitAsync(Case @case, CancellationToken ct) => SubmitAsync(@case, [], ct);

    /// <param name="notifications">The outbox rows of the registration (Features/Notifications): inserted in the
    /// same transaction as the case once its id is known, and not at all when the registration repeats an earlier one.</param>
    public Task<Result> SubmitAsync(Case @case, IReadOnlyList<Data.Notification> notifications, CancellationToken ct) =>
        SubmitAsync(@case, notifications, acknowledgeJournaled: false, ct);

    /// <param name="acknowledgeJournaled">Answer once the registration is durable in the journal, before the ledger's
    /// tables have it (the caller asked, <c>Prefer: respond-async</c>); without a journal, after the commit as always.</param>
    public async Task<Result> SubmitAsync(Case @case, IReadOnlyList<Data.Notification> notifications, bool acknowledgeJournaled, CancellationToken ct)
    {
        // The id comes first (CaseIds): the tracking code is derived from it and the row is inserted with it.
        if (@case.Id <= 0)
        {
            throw new ArgumentException("The case has no id: allocate one with CaseIds before building it.", nameof(@case));
        }
        var pending = new Pending(@case, notifications, clock.GetTimestamp(), acknowledgeJournaled);
        try
        {
            await _queue.Writer.WriteAsync(pending, ct);
        }
        catch (ChannelClosedException)
        {
            throw new UnavailableException();
        }
        // Once queued the registration is committed even if this caller goes away:
        // it has no cancellation of its own, so a retry with the same key finds it.
        return await pending.Done.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (await OpenJournalAsync(CancellationToken.None) is { } journal)
        {
            await RunJournaledAsync(journal, stoppingToken);
            return;
        }
        try
        {
            await RunBatchesAsync((batch, _) => CommitAsync(batch), stoppingToken);
        }
        finally
        {
            await ReleaseConnectionAsync();
        }
    }

    /// <summary>
    /// Takes what has queued, up to <see cref="IntakeOptions.MaxBatch"/> at a time, and hands it to
    /// <paramref name="handle"/>, which answers every registration of the batch; at shutdown, stops taking new
    /// ones and hands on what is still queued, so that no caller waits forever.
    /// </summary>
    private async Task RunBatchesAsync(Func<IReadOnlyList<Pending>, CancellationToken, Task> handle, CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(_maxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                try
                {
                    while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var p))
                    {
                        batch.Add(p);
                    }
                    await handle(batch, stoppingToken);
                }
                finally
                {
                    // Every one of them has its answer: the drain below must never handle them again.
                    batch.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _completed = true;
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var p))
            {
                batch.Add(p);
            }
            foreach (var chunk in batch.Chunk(_maxBatch))
            {
                await handle(chunk, CancellationToken.None);
            }
        }
    }

    /// <summary>
    /// The writer's own context and connection, kept open between batches: no pool round trip per
    /// batch, and (SQLite) a page cache of its own large enough for the upper levels of every case
    /// index at a million cases. The default 2 MB made each batch re-read them: 3,900 cases/s against
    /// 4,800 with 32 MB. Readers keep the default, so memory grows by this one cache only.
    /// </summary>
    private AsyncServiceScope? _connectionScope;

    private TaizhangDb? _db;

    /// <summary>KiB of SQLite page cache for the writer's connection.</summary>
    public const int WriterCacheKib = 32 * 1024;

    private async Task<TaizhangDb> ConnectionAsync()
    {
        if (_db is { } open)
        {
            return open;
        }
        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            await db.Database.OpenConnectionAsync(CancellationToken.None);
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync($"PRAGMA cache_size=-{WriterCacheKib};", CancellationToken.None);
            }
            (_connectionScope, _db) = (scope, db);
            return db;
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>After a failure the connection may be broken: the next batch opens a new one.</summary>
    private async Task ReleaseConnectionAsync()
    {
        if (_connectionScope is { } scope)
        {
            (_connectionScope, _db) = (null, null);
            await scope.DisposeAsync();
        }
    }

    /// <summary>The inserts of a registration, built from the model on the first batch.</summary>
    private sealed record Inserts(TableInsert<Case> Cases, TableInsert<CaseEvent> Events, TableInsert<CaseReporter> Reporters,
        TableInsert<Data.Notification> Notifications, TableInsert<CaseGram> Grams);

    private Inserts? _inserts;

    /// <summary>Completes every pending registration of the batch exactly once; never throws.</summary>
    private async Task CommitAsync(IReadOnlyList<Pending> batch)
    {
        // What each registration will hear once the batch is durable: its new case, an earlier case it
        // repeats, or a refusal. Nothing is answered before the commit.
        var outcomes = new Outcome[batch.Count];
        try
        {
            var db = await ConnectionAsync();
            var inserts = TableInserts();
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var connection = db.Database.GetDbConnection();
            var transaction = tx.GetDbTransaction();
            if (connection.CanCreateBatch)
            {
                await InsertPipelinedAsync(db, inserts, connection, transaction, batch, outcomes);
            }
            else
            {
                await InsertRowByRowAsync(db, inserts, connection, transaction, batch, outcomes);
            }
            await tx.CommitAsync(CancellationToken.None);
            // Open boards hear of new cases (the inserts pass no SaveChanges, which the interceptor watches).
            changes?.Pulse(batch.Select(p => p.Case.TownId).Distinct().ToArray());
        }
        catch (Exception e) when (batch.Count > 1 && DbErrors.IsConstraintViolation(e))
        {
            await ReleaseConnectionAsync();
            // Nothing of the batch is stored. One bad registration must not fail the others: each is
            // tried alone, so each gets its own answer.
            log.LogWarning(e, "Intake batch of {Count} could not be committed; committing one by one", batch.Count);
            foreach (var p in batch)
            {
                await CommitAsync([p]);
            }
            return;
        }
        catch (Exception e)
        {
            // Nothing is stored (the transaction rolled back: a full disk, a read-only or unreachable
            // database): the request hears "unavailable, try again" with the same key, never a 201.
            await ReleaseConnectionAsync();
            log.LogError(e, "Registration could not be committed");
            Fail(batch, new UnavailableException(e));
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            var p = batch[i];
            if (outcomes[i].Refused is { } refused)
            {
                p.Done.TrySetException(refused);
                continue;
            }
            p.Done.TrySetResult(outcomes[i].Result);
        }
    }

    private readonly record struct Outcome(Result Result, Exception? Refused);

    /// <summary>
    /// SQLite, in-process: a prepared statement per row is the fastest (no round trips to save). A case the
    /// unique indexes refuse is a repeat, and its rows are not written.
    /// </summary>
    private async Task InsertRowByRowAsync(TaizhangDb db, Inserts inserts, System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction, IReadOnlyList<Pending> batch, Outcome[] outcomes)
    {
        using var cases = inserts.Cases.Prepare(connection, transaction);
        using var events = inserts.Events.Prepare(connection, transaction);
        using var reporters = inserts.Reporters.Prepare(connection, transaction);
        using var notifications = inserts.Notifications.Prepare(connection, transaction);
        using var grams = inserts.Grams.Prepare(connection, transaction);
        for (var i = 0; i < batch.Count; i++)
        {
            var c = batch[i].Case;
            if (await cases.InsertAsync(c) is not { } id)
            {
                // A unique index holds it already: an earlier (or same-batch) registration with the
                // same key or external reference. Looked up in this transaction, so it sees the batch.
                outcomes[i] = await RepeatOfAsync(db, c);
                continue;
            }
            foreach (var e in c.Events)
            {
                await events.InsertAsync(e, id);
            }
            foreach (var r in c.Reporters)
            {
                await reporters.InsertAsync(r, id);
            }
            foreach (var n in batch[i].Notifications)
            {
                await notifications.InsertAsync(n, id);
            }
            // The case's full-text index row, in the same transaction (Data/CaseGram.cs).
            await grams.InsertAsync(new CaseGram(id, c.TownId, CaseGram.Of(c)), id);
            outcomes[i] = new Outcome(new Result(id, Created: true), null);
        }
    }

    /// <summary>
    /// PostgreSQL, over the network: two round trips per batch instead of three per case. The batch's cases
    /// go in one multi-row insert; the ones it returns are in (their ids were allocated before, so each
    /// returned id names its registration), the others are refused by a unique index — repeats, one by one
    /// as on SQLite (a key used twice in the same batch: the statement's first row wins, the second is a
    /// repeat of it). Then the events, reporters and notifications of the cases that went in, each table
    /// one multi-row insert, all in one pipelined batch.
    /// </summary>
    private async Task InsertPipelinedAsync(TaizhangDb db, Inserts inserts, System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction, IReadOnlyList<Pending> batch, Outcome[] outcomes)
    {
        var inserted = (await inserts.Cases.InsertManyAsync(connection, transaction, batch.Select(p => p.Case).ToList(), null,
                [nameof(Case.Id)], CancellationToken.None))
            .Select(v => Convert.ToInt64(v[0], System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var created = new List<Pending>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var c = batch[i].Case;
            if (inserted.Contains(c.Id))
            {
                created.Add(batch[i]);
                outcomes[i] = new Outcome(new Result(c.Id, Created: true), null);
            }
            else
            {
                outcomes[i] = await RepeatOfAsync(db, c);
            }
        }
        if (created.Count == 0)
        {
            return;
        }
        await using var rows = connection.CreateBatch();
        rows.Transaction = transaction;
        var events = created.SelectMany(p => p.Case.Events.Select(e => (e, p.Case.Id))).ToList();
        inserts.Events.AddMany(rows, connection, events.Select(x => x.e).ToList(), events.Select(x => x.Item2).ToList());
        var reporters = created.SelectMany(p => p.Case.Reporters.Select(r => (r, p.Case.Id))).ToList();
        inserts.Reporters.AddMany(rows, connection, reporters.Select(x => x.r).ToList(), reporters.Select(x => x.Item2).ToList());
        var notifications = created.SelectMany(p => p.Notifications.Select(n => (n, p.Case.Id))).ToList();
        inserts.Notifications.AddMany(rows, connection, notifications.Select(x => x.n).ToList(), notifications.Select(x => x.Item2).ToList());
        // The cases' full-text index rows, in the same transaction (Data/CaseGram.cs).
        inserts.Grams.AddMany(rows, connection, created.Select(p => new CaseGram(p.Case.Id, p.Case.TownId, CaseGram.Of(p.Case))).ToList(),
            created.Select(p => p.Case.Id).ToList());
        if (rows.BatchCommands.Count > 0)
        {
            await rows.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// A unique index refused the registration: a request with the same key or external reference
    /// came first. The same matter gets that case; a key reused for a different matter is refused as
    /// <see cref="RegisterCase"/> refuses it, never answered with another's case.
    /// </summary>
    private async Task<Outcome> RepeatOfAsync(TaizhangDb db, Case c)
    {
        if (c.IdempotencyKey is { } key && await FindByKeyAsync(db, c.TownId, key, CancellationToken.None) is { } byKey)
        {
            if (byKey.IsSameMatter(c.Channel, c.Title, c.Description, c.OrgUnitId))
            {
                return new Outcome(new Result(byKey.Id, Created: false), null);
            }
            log.LogInformation("Idempotency-Key reused for a different registration; refused");
            return new Outcome(default, KeyReused());
        }
        if (c.ExternalRef is { } reference && c.SourceClientId is { } client
            && await FindByExternalRefAsync(db, client, reference, CancellationToken.None) is { } byRef)
        {
            // The integration sent its ticket again: the same matter gets its case; another matter under
            // the same ticket number is refused, never answered with the first case.
            if (byRef.IsSameMatter(c.Channel, c.Title, c.Description, c.OrgUnitId))
            {
                return new Outcome(new Result(byRef.Id, Created: false), null);
            }
            log.LogInformation("External reference reused by its API client for a different registration; refused");
            return new Outcome(default, ExternalRefReused());
        }
        // Neither: the case's id is taken — ids are allocated ahead from the table's own counter (CaseIds), so
        // only a counter set back by hand gets here. Nothing is stored for it; the caller may try again.
        log.LogError("Case id {Id} already taken at registration", c.Id);
        return new Outcome(default, new UnavailableException());
    }

    /// <summary>The case a key or reference was first used for, with what decides whether a repeat is the same matter.</summary>
    private sealed record KeyedCase(long Id, Domain.Cases.Channel Channel, string Title, string Description, long OrgUnitId, long? AssigneeUnitId)
    {
        public bool IsSameMatter(Domain.Cases.Channel channel, string title, string description, long orgUnitId) =>
            Channel == channel && Title == title && Description == description && OrgUnitId == orgUnitId;
    }

    /// <summary>Idempotency-Keys are unique per town; each is stored hashed with its caller (RegisterCase.ScopedKey), so per caller too.</summary>
    private static Task<KeyedCase?> FindByKeyAsync(TaizhangDb db, long townId, string key, CancellationToken ct) =>
        db.Cases.AsNoTracking().Where(c => c.TownId == townId && c.IdempotencyKey == key)
            .Select(c => new KeyedCase(c.Id, c.Channel, c.Title, c.Description, c.OrgUnitId, c.AssigneeUnitId))
            .FirstOrDefaultAsync(ct);

    /// <summary>External references are unique per API client (its own ticket numbers), whatever the town.</summary>
    private static Task<KeyedCase?> FindByExternalRefAsync(TaizhangDb db, long clientId, string externalRef, CancellationToken ct) =>
        db.Cases.AsNoTracking().Where(c => c.SourceClientId == clientId && c.ExternalRef == externalRef)
            .Select(c => new KeyedCase(c.Id, c.Channel, c.Title, c.Description, c.OrgUnitId, c.AssigneeUnitId))
            .FirstOrDefaultAsync(ct);

    /// <summary>A key reused for a different matter: refused here, and by RegisterCase for a repeat the caller may not see.</summary>
    internal static DomainRuleException KeyReused() => new("intake.idempotency-key-reused",
        "This Idempotency-Key was already used for a different registration.");

    /// <summary>An integration's ticket number reused for a different matter (or for a case it may no longer see).</summary>
    internal static DomainRuleException ExternalRefReused() => new("intake.external-ref-reused",
        "This external reference was already used by this integration for a different registration.");

    private static void Fail(IReadOnlyList<Pending> batch, Exception e)
    {
        foreach (var p in batch)
        {
            p.Done.TrySetException(e);
        }
    }

    private static int AtLeastOne(int value, string setting) => value >= 1
        ? value
        : throw new InvalidOperationException($"{IntakeOptions.Section}:{setting} must be at least 1 (it is {value}).");

    private sealed class Pending(Case @case, IReadOnlyList<Data.Notification> notifications, long queuedAt, bool acknowledgeJournaled = false)
    {
        public bool AcknowledgeJournaled { get; } = acknowledgeJournaled;

        public Case Case { get; } = @case;

        public IReadOnlyList<Data.Notification> Notifications { get; } = notifications;

        public long QueuedAt { get; } = queuedAt;

        public TaskCompletionSource<Result> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
