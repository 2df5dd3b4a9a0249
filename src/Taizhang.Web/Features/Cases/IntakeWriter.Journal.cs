using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// The writer with an intake journal (SQLite; <see cref="IntakeJournal"/>): two loops instead of one.
/// <list type="bullet">
/// <item>The journal loop takes what has queued, recognises repeats (an Idempotency-Key or an integration's
/// external reference already pending in the journal or already in the ledger), appends the new registrations as
/// one write and one fsync, and answers those that asked for it (<c>Prefer: respond-async</c>) at once.</item>
/// <item>The applier reads the records in order and writes their ledger rows, up to <see cref="IntakeOptions.MaxBatch"/>
/// per transaction, storing the last applied record's number in the same transaction (the <c>Settings</c> row
/// <see cref="AppliedSetting"/>); callers that wait for the ledger (every other registration) are answered after that
/// commit, as without a journal.</item>
/// </list>
/// Records not applied when the process stopped (a crash, a kill) are applied at the next start before the
/// endpoints open (<see cref="OpenJournalAsync"/>, called by AppStart). Each record holds the rows exactly as they
/// are inserted (TableInsert.Values), so applying it again after a crash makes the same rows.
/// </summary>
public sealed partial class IntakeWriter
{
    public const string AppliedSetting = "intake-journal-applied";

    private IntakeJournal? _journal;

    private int ApplyBatch => Math.Max(1, options.JournalApplyBatch);
    private bool _journalChecked;
    private readonly SemaphoreSlim _opening = new(1, 1);

    /// <summary>The last record durable in the journal, and the last one in the ledger.</summary>
    private long _durableSeq;
    private long _appliedSeq;

    private readonly SemaphoreSlim _journaledSignal = new(0);
    private readonly SemaphoreSlim _appliedSignal = new(0);

    /// <summary>Whether registrations go through a journal (known once it is opened).</summary>
    public bool Journaled => _journal is not null;

    /// <summary>Registrations journaled and not yet in the ledger.</summary>
    public long JournalBacklog => Math.Max(0, Volatile.Read(ref _durableSeq) - Volatile.Read(ref _appliedSeq));

    /// <summary>
    /// Opens the journal and applies what it holds beyond the ledger (the replay after a crash); null when there is
    /// none (PostgreSQL, an in-memory database, <c>Intake:Journal</c> false). Called before the endpoints open.
    /// </summary>
    public async Task<IntakeJournal?> OpenJournalAsync(CancellationToken ct)
    {
        await _opening.WaitAsync(ct);
        try
        {
            if (_journalChecked)
            {
                return _journal;
            }
            if (JournalFolder() is not { } folder)
            {
                _journalChecked = true;
                return null;
            }
            var db = await ConnectionAsync();
            var applied = await ReadAppliedAsync(db, ct);
            IntakeJournal journal;
            try
            {
                journal = IntakeJournal.Open(folder, applied, Math.Max(64 * 1024, options.JournalSegmentBytes));
            }
            catch (IntakeJournal.InUseException e)
            {
                // Another server runs on this database file and owns its journal: this one commits before it answers.
                log.LogWarning(e, "The intake journal is held by another process; registrations here are committed before they are answered");
                _journalChecked = true;
                return null;
            }
            _durableSeq = journal.NextSeq - 1;
            _appliedSeq = applied;
            _lastApplied = System.Diagnostics.Stopwatch.GetTimestamp();
            if (_durableSeq > applied)
            {
                var started = clock.GetTimestamp();
                var count = _durableSeq - applied;
                if (options.JournalApply)
                {
                    var from = StartAfter(folder, applied);
                    Volatile.Write(ref _appliedSeq, from);
                    using var reader = new IntakeJournal.Reader(folder, from);
                    if (!await ApplyUpToAsync(reader, _durableSeq))
                    {
                        throw new InvalidOperationException("The intake journal could not be applied at start; see the log.");
                    }
                    log.LogInformation("Intake journal: {Count} registrations applied at start in {Milliseconds} ms", count,
                        (long)clock.GetElapsedTime(started).TotalMilliseconds);
                }
                else
                {
                    log.LogWarning("Intake journal: {Count} registrations wait to be applied (Intake:JournalApply is false)", count);
                }
            }
            journal.DeleteApplied(Volatile.Read(ref _appliedSeq));
            (_journal, _journalChecked) = (journal, true);
            return journal;
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>
    /// Before a backup copies the ledger: every acknowledged registration the journal holds is entered. In the server's
    /// own process, its applier is waited for; in another process, the journal is entered only when no server holds it
    /// (opening it takes it) — a running server's file may hold records not yet durable. Each apply reads the applied
    /// number in its own transaction, so nothing is entered twice. Returns how many were entered, −1 when a running
    /// server holds the journal, null when there is none.
    /// </summary>
    public async Task<long?> DrainJournalAsync(CancellationToken ct)
    {
        if (JournalFolder() is not { } folder || IntakeJournal.Segments(folder).Count == 0)
        {
            return null;
        }
        if (_journal is not null && options.JournalApply)
        {
            // This process appends and applies (the command called in the server's own process): its applier is
            // waited for up to what is durable now; two writers on one connection would corrupt both.
            var from = Volatile.Read(ref _appliedSeq);
            var target = Volatile.Read(ref _durableSeq);
            while (Volatile.Read(ref _appliedSeq) < target)
            {
                await _appliedSignal.WaitAsync(TimeSpan.FromMilliseconds(50), ct);
            }
            return Math.Max(0, target - from);
        }
        // Another process (when no server holds the journal: it is opened, which takes it and cuts a torn tail), or this
        // server with its applier off (up to what it has made durable): applied here, on a connection of its own.
        IntakeJournal? owned = null;
        long upTo;
        if (_journal is not null)
        {
            upTo = Volatile.Read(ref _durableSeq);
        }
        else
        {
            try
            {
                owned = IntakeJournal.Open(folder, 0, Math.Max(64 * 1024, options.JournalSegmentBytes));
            }
            catch (IntakeJournal.InUseException)
            {
                // The running server owns it and enters its records within milliseconds; what it has not yet entered
                // is not in this copy (a record read from here might not even be durable yet).
                return -1;
            }
            upTo = owned.NextSeq - 1;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
            await db.Database.OpenConnectionAsync(ct);
            var start = await ReadAppliedAsync(db, ct);
            if (start >= upTo)
            {
                return 0;
            }
            Volatile.Write(ref _appliedSeq, Math.Max(start, Volatile.Read(ref _appliedSeq)));
            using var reader = new IntakeJournal.Reader(folder, StartAfter(folder, start));
            while (!ct.IsCancellationRequested)
            {
                var records = new List<Record>(ApplyBatch);
                while (records.Count < ApplyBatch && reader.TryRead(out var seq, out var payload) && seq <= upTo)
                {
                    records.Add(Decode(seq, payload));
                }
                if (records.Count == 0)
                {
                    break;
                }
                if (!await ApplyAsync(records, db))
                {
                    throw new InvalidOperationException("The intake journal could not be applied; see the log.");
                }
            }
            return Math.Max(0, await ReadAppliedAsync(db, ct) - start);
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>Whether the journal holds a record beyond the ledger's applied number (read only; before migrating).</summary>
    public async Task<bool> HasUnappliedJournalAsync(CancellationToken ct)
    {
        if (JournalFolder() is not { } folder || IntakeJournal.Segments(folder).Count == 0)
        {
            return false;
        }
        long applied;
        await using (var scope = scopes.CreateAsyncScope())
        {
            try
            {
                applied = await ReadAppliedAsync(scope.ServiceProvider.GetRequiredService<TaizhangDb>(), ct);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException)
            {
                applied = 0; // no settings table yet: nothing was ever applied
            }
        }
        using var reader = new IntakeJournal.Reader(folder, StartAfter(folder, applied));
        return reader.TryRead(out _, out _);
    }

    /// <summary>
    /// Where reading starts: after the applied record, or — when the journal no longer holds the records after it
    /// (segments lost, or a journal of another database) — at its oldest record, said loudly in the log.
    /// </summary>
    private long StartAfter(string folder, long applied)
    {
        var segments = IntakeJournal.Segments(folder);
        if (segments.Count > 0 && segments[0].First > applied + 1)
        {
            log.LogCritical("Intake journal: records {From}–{To} are not in {Folder}; reading from {First}", applied + 1, segments[0].First - 1,
                folder, segments[0].First);
            return segments[0].First - 1;
        }
        return applied;
    }

    private string? JournalFolder()
    {
        if (options.Journal == false || database is null || database.IsPostgres)
        {
            if (options.Journal == true && database is { IsPostgres: true })
            {
                log.LogWarning("Intake:Journal is for SQLite only; on PostgreSQL registrations are committed before they are answered");
            }
            return null;
        }
        var builder = new SqliteConnectionStringBuilder(DatabaseSetup.SqliteConnectionString(database.ConnectionString));
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:")
        {
            return null;
        }
        return IntakeJournal.FolderOf(builder.DataSource);
    }

    private static async Task<long> ReadAppliedAsync(TaizhangDb db, CancellationToken ct)
    {
        var value = await db.Settings.AsNoTracking().Where(s => s.Key == AppliedSetting).Select(s => s.Value).FirstOrDefaultAsync(ct);
        return long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
    }

    /// <summary>A registration in the journal, not yet in the ledger: what recognises a repeat of it.</summary>
    private sealed record JournaledCase(long Seq, long Id, long TownId, string? Key, long? ClientId, string? ExternalRef,
        Channel Channel, string Title, string Description, long OrgUnitId)
    {
        public bool IsSameMatter(Case c) => Channel == c.Channel && Title == c.Title && Description == c.Description && OrgUnitId == c.OrgUnitId;
    }

    // The journal loop's own (no other thread touches them): what is journaled and not known to be applied.
    private readonly Dictionary<(long Town, string Key), JournaledCase> _pendingByKey = [];
    private readonly Dictionary<(long Client, string Ref), JournaledCase> _pendingByRef = [];
    private readonly Queue<JournaledCase> _pendingInOrder = new();

    // Shared with the applier and the readers: what to do once a record is applied, and which case ids are pending.
    private readonly Lock _appliedGate = new();
    private readonly Dictionary<long, List<Action<bool>>> _onApplied = [];
    private readonly Dictionary<long, long> _pendingIds = [];
    private readonly Dictionary<long, TaskCompletionSource> _readWaits = [];

    /// <summary>
    /// Waits until the case is in the ledger if it is journaled and not yet applied (a read by id right after a
    /// registration answered from the journal); at once otherwise. False when <paramref name="within"/> passed first.
    /// </summary>
    public async Task<bool> WaitAppliedAsync(long caseId, TimeSpan within, CancellationToken ct)
    {
        Task? applied = null;
        lock (_appliedGate)
        {
            if (_pendingIds.TryGetValue(caseId, out var seq))
            {
                // One completion per record, whoever waits and however often (a wait that times out leaves nothing behind).
                if (!_readWaits.TryGetValue(seq, out var done))
                {
                    _readWaits[seq] = done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    OnAppliedLocked(seq, _ => done.TrySetResult());
                }
                applied = done.Task;
            }
        }
        if (applied is null)
        {
            return true;
        }
        try
        {
            await applied.WaitAsync(within, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void OnAppliedLocked(long seq, Action<bool> action)
    {
        if (!_onApplied.TryGetValue(seq, out var list))
        {
            _onApplied[seq] = list = [];
        }
        list.Add(action);
    }

    private async Task RunJournaledAsync(IntakeJournal journal, CancellationToken stoppingToken)
    {
        using var applierStop = new CancellationTokenSource();
        var applier = StartApplier(journal.Folder, applierStop.Token);
        try
        {
            await RunBatchesAsync((batch, ct) => JournalBatchAsync(journal, batch, ct), stoppingToken);
        }
        finally
        {
            // The applier finishes what is journaled (unless applying is off), then stops.
            _journalClosed = true;
            Signal(_journaledSignal);
            await applier;
            applierStop.Cancel();
            FailWaiters();
            journal.Dispose();
            await ReleaseConnectionAsync();
        }
    }

    private volatile bool _journalClosed;

    /// <summary>Completes every registration of the batch: repeats and refusals at once, new ones after the fsync or the apply.</summary>
    private async Task JournalBatchAsync(IntakeJournal journal, IReadOnlyList<Pending> batch, CancellationToken ct)
    {
        try
        {
            // Backpressure: the journal runs at most so far ahead of the ledger (never while shutting down).
            while (!ct.IsCancellationRequested && options.JournalApply
                && Volatile.Read(ref _durableSeq) - Volatile.Read(ref _appliedSeq) >= Math.Max(1, options.JournalMaxBacklog))
            {
                await _appliedSignal.WaitAsync(TimeSpan.FromMilliseconds(100), CancellationToken.None);
            }
            // What the applier has applied is in the ledger, where the look-ups below find it: forget it here first,
            // so that a case is always found in one of the two.
            var applied = Volatile.Read(ref _appliedSeq);
            while (_pendingInOrder.TryPeek(out var oldest) && oldest.Seq <= applied)
            {
                Forget(_pendingInOrder.Dequeue());
            }
            var inLedger = await LedgerRepeatsAsync(batch);
            var fresh = new List<(Pending P, JournaledCase J, byte[] Payload)>(batch.Count);
            var next = journal.NextSeq;
            foreach (var p in batch)
            {
                var c = p.Case;
                var earlier = FindPending(c);
                if (earlier is not null)
                {
                    if (earlier.IsSameMatter(c))
                    {
                        // The earlier registration is still being entered: answered once it is (its reader needs the row).
                        var result = new Result(earlier.Id, Created: false);
                        lock (_appliedGate)
                        {
                            // Not yet applied (perhaps in this very batch, not yet appended): answered when it is.
                            if (earlier.Seq > Volatile.Read(ref _appliedSeq))
                            {
                                OnAppliedLocked(earlier.Seq, ok => Complete(p, ok, result));
                                continue;
                            }
                        }
                        p.Done.TrySetResult(result);
                    }
                    else
                    {
                        p.Done.TrySetException(earlier.Key is not null && earlier.Key == c.IdempotencyKey && earlier.TownId == c.TownId
                            ? KeyReused() : ExternalRefReused());
                    }
                    continue;
                }
                if (inLedger.TryGetValue(p, out var outcome))
                {
                    if (outcome.Refused is { } refused)
                    {
                        p.Done.TrySetException(refused);
                    }
                    else
                    {
                        p.Done.TrySetResult(outcome.Result);
                    }
                    continue;
                }
                byte[] payload;
                try
                {
                    payload = Encode(p);
                }
                catch (Exception e)
                {
                    log.LogError(e, "A registration could not be written as a journal record");
                    p.Done.TrySetException(new UnavailableException(e));
                    continue;
                }
                var j = new JournaledCase(next++, c.Id, c.TownId, c.IdempotencyKey, c.SourceClientId, c.ExternalRef, c.Channel, c.Title,
                    c.Description, c.OrgUnitId);
                Remember(j);
                fresh.Add((p, j, payload));
            }
            if (fresh.Count == 0)
            {
                return;
            }
            try
            {
                journal.Append(fresh.Select(f => f.Payload).ToList());
            }
            catch (Exception e)
            {
                // Nothing of it is durable: none is answered with a case, none stays pending.
                foreach (var f in fresh)
                {
                    Forget(f.J);
                }
                _pendingInOrder.Clear();
                RebuildOrder();
                log.LogError(e, "Registrations could not be written to the intake journal");
                Fail(fresh.Select(f => f.P).ToList(), new UnavailableException(e));
                // Repeats of them in this batch were waiting for numbers that are not used.
                var orphaned = new List<Action<bool>>();
                lock (_appliedGate)
                {
                    foreach (var f in fresh)
                    {
                        if (_onApplied.Remove(f.J.Seq, out var actions))
                        {
                            orphaned.AddRange(actions);
                        }
                    }
                }
                foreach (var action in orphaned)
                {
                    action(false);
                }
                return;
            }
            lock (_appliedGate)
            {
                foreach (var (p, j, _) in fresh)
                {
                    _pendingIds[j.Id] = j.Seq;
                    if (p.AcknowledgeJournaled)
                    {
                        p.Done.TrySetResult(new Result(j.Id, Created: true, Pending: true));
                    }
                    else
                    {
                        var result = new Result(j.Id, Created: true);
                        var waiting = p;
                        OnAppliedLocked(j.Seq, ok => Complete(waiting, ok, result));
                    }
                }
            }
            // The stuck-check counts from the last apply, or from now when nothing was waiting before this batch.
            if (Volatile.Read(ref _durableSeq) <= Volatile.Read(ref _appliedSeq))
            {
                Volatile.Write(ref _lastApplied, System.Diagnostics.Stopwatch.GetTimestamp());
            }
            Volatile.Write(ref _durableSeq, journal.NextSeq - 1);
            Signal(_journaledSignal);
        }
        catch (Exception e)
        {
            log.LogError(e, "Intake journal batch failed");
            Fail(batch, new UnavailableException(e));
        }
    }

    private static void Complete(Pending p, bool applied, Result result)
    {
        if (applied)
        {
            p.Done.TrySetResult(result);
        }
        else
        {
            p.Done.TrySetException(new UnavailableException());
        }
    }

    private JournaledCase? FindPending(Case c)
    {
        if (c.IdempotencyKey is { } key && _pendingByKey.TryGetValue((c.TownId, key), out var byKey))
        {
            return byKey;
        }
        if (c.ExternalRef is { } reference && c.SourceClientId is { } client && _pendingByRef.TryGetValue((client, reference), out var byRef))
        {
            return byRef;
        }
        return null;
    }

    private void Remember(JournaledCase j)
    {
        if (j.Key is { } key)
        {
            _pendingByKey[(j.TownId, key)] = j;
        }
        if (j.ExternalRef is { } reference && j.ClientId is { } client)
        {
            _pendingByRef[(client, reference)] = j;
        }
        if (j.Key is not null || j is { ExternalRef: not null, ClientId: not null })
        {
            _pendingInOrder.Enqueue(j);
        }
    }

    private void Forget(JournaledCase j)
    {
        if (j.Key is { } key && _pendingByKey.TryGetValue((j.TownId, key), out var k) && k == j)
        {
            _pendingByKey.Remove((j.TownId, key));
        }
        if (j.ExternalRef is { } reference && j.ClientId is { } client && _pendingByRef.TryGetValue((client, reference), out var r) && r == j)
        {
            _pendingByRef.Remove((client, reference));
        }
    }

    /// <summary>After a failed append: the order queue holds only what is still remembered.</summary>
    private void RebuildOrder()
    {
        foreach (var j in _pendingByKey.Values.Concat(_pendingByRef.Values).Distinct().OrderBy(j => j.Seq))
        {
            _pendingInOrder.Enqueue(j);
        }
    }

    /// <summary>
    /// The batch's registrations whose Idempotency-Key or external reference is already in the ledger: one query per
    /// town (keys) and per client (references), by the unique indexes.
    /// </summary>
    private async Task<Dictionary<Pending, Outcome>> LedgerRepeatsAsync(IReadOnlyList<Pending> batch)
    {
        var found = new Dictionary<Pending, Outcome>();
        var keyed = batch.Where(p => p.Case.IdempotencyKey is not null || p.Case is { ExternalRef: not null, SourceClientId: not null }).ToList();
        if (keyed.Count == 0)
        {
            return found;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var byKey = new Dictionary<(long, string), KeyedCase>();
        foreach (var town in keyed.Where(p => p.Case.IdempotencyKey is not null).GroupBy(p => p.Case.TownId))
        {
            var keys = town.Select(p => p.Case.IdempotencyKey!).Distinct().ToList();
            var townId = town.Key;
            await foreach (var row in CasesByKeys(db, townId, keys))
            {
                byKey[(townId, row.Match)] = row.Keyed;
            }
        }
        var byRef = new Dictionary<(long, string), KeyedCase>();
        foreach (var client in keyed.Where(p => p.Case is { ExternalRef: not null, SourceClientId: not null }).GroupBy(p => p.Case.SourceClientId!.Value))
        {
            var refs = client.Select(p => p.Case.ExternalRef!).Distinct().ToList();
            var clientId = client.Key;
            await foreach (var row in CasesByRefs(db, clientId, refs))
            {
                byRef[(clientId, row.Match)] = row.Keyed;
            }
        }
        foreach (var p in keyed)
        {
            var c = p.Case;
            if (c.IdempotencyKey is { } key && byKey.TryGetValue((c.TownId, key), out var k))
            {
                found[p] = k.IsSameMatter(c.Channel, c.Title, c.Description, c.OrgUnitId)
                    ? new Outcome(new Result(k.Id, Created: false), null)
                    : new Outcome(default, KeyReused());
            }
            else if (c is { ExternalRef: { } reference, SourceClientId: { } client } && byRef.TryGetValue((client, reference), out var r))
            {
                found[p] = r.IsSameMatter(c.Channel, c.Title, c.Description, c.OrgUnitId)
                    ? new Outcome(new Result(r.Id, Created: false), null)
                    : new Outcome(default, ExternalRefReused());
            }
        }
        return found;
    }

    // Compiled: this runs once per batch of a few registrations, and building and looking up the query
    // each time was most of its cost (7 % of the journal path's CPU; the index look-ups themselves ~0.1 %).
    private static readonly Func<TaizhangDb, long, List<string>, IAsyncEnumerable<MatchRow>> CasesByKeys = EF.CompileAsyncQuery(
        (TaizhangDb db, long townId, List<string> keys) => db.Cases.AsNoTracking().Where(c => c.TownId == townId && keys.Contains(c.IdempotencyKey!))
            .Select(c => new MatchRow(c.IdempotencyKey!, new KeyedCase(c.Id, c.Channel, c.Title, c.Description, c.OrgUnitId, c.AssigneeUnitId))));

    private static readonly Func<TaizhangDb, long, List<string>, IAsyncEnumerable<MatchRow>> CasesByRefs = EF.CompileAsyncQuery(
        (TaizhangDb db, long clientId, List<string> refs) => db.Cases.AsNoTracking().Where(c => c.SourceClientId == clientId && refs.Contains(c.ExternalRef!))
            .Select(c => new MatchRow(c.ExternalRef!, new KeyedCase(c.Id, c.Channel, c.Title, c.Description, c.OrgUnitId, c.AssigneeUnitId))));

    private sealed record MatchRow(string Match, KeyedCase Keyed);

    private const byte RecordVersion = 1;

    /// <summary>
    /// The shape of the rows a record holds (the five tables' insert statements: columns and their order), written with
    /// each record: a record of another shape is refused by name, never inserted into the wrong columns.
    /// </summary>
    private long Shape() => _shape ??= BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        string.Join("\n", TableInserts() is var i ? new[] { i.Cases.Sql, i.Events.Sql, i.Reporters.Sql, i.Notifications.Sql, i.Grams.Sql } : []))));

    private long? _shape;

    /// <summary>A registration's rows as a journal record: the case, its events, reporters, notifications and index row.</summary>
    private byte[] Encode(Pending p)
    {
        var inserts = TableInserts();
        var c = p.Case;
        using var buffer = new MemoryStream(2048);
        using (var w = new BinaryWriter(buffer, RowCodec.Utf8, leaveOpen: true))
        {
            w.Write(RecordVersion);
            w.Write(Shape());
            w.Write(c.Id);
            w.Write(c.TownId);
            RowCodec.WriteRow(w, inserts.Cases.Values(c));
            w.Write7BitEncodedInt(c.Events.Count);
            foreach (var e in c.Events)
            {
                RowCodec.WriteRow(w, inserts.Events.Values(e, c.Id));
            }
            w.Write7BitEncodedInt(c.Reporters.Count);
            foreach (var r in c.Reporters)
            {
                RowCodec.WriteRow(w, inserts.Reporters.Values(r, c.Id));
            }
            w.Write7BitEncodedInt(p.Notifications.Count);
            foreach (var n in p.Notifications)
            {
                RowCodec.WriteRow(w, inserts.Notifications.Values(n, c.Id));
            }
            RowCodec.WriteRow(w, inserts.Grams.Values(new CaseGram(c.Id, c.TownId, CaseGram.Of(c)), c.Id));
        }
        return buffer.ToArray();
    }

    /// <summary>A record read back: the rows to insert.</summary>
    private sealed record Record(long Seq, long CaseId, long TownId, object?[] Case, List<object?[]> Events, List<object?[]> Reporters,
        List<object?[]> Notifications, object?[] Gram);

    private Record Decode(long seq, ReadOnlyMemory<byte> payload)
    {
        using var stream = new MemoryStream(payload.ToArray(), writable: false);
        using var r = new BinaryReader(stream, RowCodec.Utf8);
        var version = r.ReadByte();
        if (version != RecordVersion)
        {
            throw new InvalidDataException($"Intake journal record {seq} has version {version}; this build reads {RecordVersion}.");
        }
        if (r.ReadInt64() != Shape())
        {
            throw new InvalidDataException(
                $"Intake journal record {seq} holds rows of another version's tables; start the version that wrote it to enter it.");
        }
        var id = r.ReadInt64();
        var town = r.ReadInt64();
        var @case = RowCodec.ReadRow(r);
        static List<object?[]> Rows(BinaryReader r)
        {
            var n = r.Read7BitEncodedInt();
            var rows = new List<object?[]>(n);
            for (var i = 0; i < n; i++)
            {
                rows.Add(RowCodec.ReadRow(r));
            }
            return rows;
        }
        var events = Rows(r);
        var reporters = Rows(r);
        var notifications = Rows(r);
        return new Record(seq, id, town, @case, events, reporters, notifications, RowCodec.ReadRow(r));
    }

    /// <summary>The table inserts, built from the model once (the direct writer, the journal loop and the applier share them: read-only).</summary>
    private Inserts TableInserts()
    {
        if (_inserts is { } built)
        {
            return built;
        }
        using var scope = scopes.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<TaizhangDb>().Model;
        return _inserts = new Inserts(
            new TableInsert<Case>(model, explicitKey: true), new TableInsert<CaseEvent>(model, nameof(CaseEvent.CaseId)),
            new TableInsert<CaseReporter>(model, nameof(CaseReporter.CaseId)),
            new TableInsert<Data.Notification>(model, nameof(Data.Notification.CaseId)),
            new TableInsert<CaseGram>(model, nameof(CaseGram.CaseId)));
    }

    /// <summary>
    /// The applier's own thread, at the lowest scheduling priority (Linux nice 19,
    /// <see cref="LowPriorityThread"/>): when both want the two cores, registrations are acknowledged first and the
    /// ledger catches up when they leave it time — what the journal is for (a burst answered at the journal's rate).
    /// Backpressure (<see cref="IntakeOptions.JournalMaxBacklog"/>) bounds how far it may fall behind. SQLite's calls
    /// complete synchronously, so the apply runs on this thread.
    /// </summary>
    private Task StartApplier(string folder, CancellationToken hardStop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                LowPriorityThread.Lower(log);
                ApplyLoop(folder, hardStop);
            }
            finally
            {
                done.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = "Intake journal applier",
        };
        thread.Start();
        return done.Task;
    }

    private void ApplyLoop(string folder, CancellationToken hardStop)
    {
        IntakeJournal.Reader? reader = null;
        try
        {
            while (!hardStop.IsCancellationRequested)
            {
                var durable = Volatile.Read(ref _durableSeq);
                if (!options.JournalApply || durable <= Volatile.Read(ref _appliedSeq))
                {
                    if (_journalClosed && (Volatile.Read(ref _durableSeq) <= Volatile.Read(ref _appliedSeq) || !options.JournalApply))
                    {
                        return;
                    }
                    _journaledSignal.Wait(TimeSpan.FromSeconds(1), CancellationToken.None);
                    continue;
                }
                bool applied;
                try
                {
                    reader ??= new IntakeJournal.Reader(folder, Volatile.Read(ref _appliedSeq));
                    applied = ApplyUpToAsync(reader, durable).GetAwaiter().GetResult();
                }
                catch (Exception e)
                {
                    // A record that cannot be read or decoded: tried again (the health check says so while it lasts).
                    log.LogError(e, "The intake journal's applier failed after record {Seq}; trying again", Volatile.Read(ref _appliedSeq));
                    applied = false;
                }
                if (!applied)
                {
                    reader?.Dispose();
                    reader = null;
                    if (_journalClosed)
                    {
                        return;
                    }
                    Thread.Sleep(TimeSpan.FromSeconds(1));
                }
            }
        }
        catch (Exception e)
        {
            log.LogCritical(e, "The intake journal's applier stopped; journaled registrations are applied at the next start");
        }
        finally
        {
            _applierStopped = true;
            reader?.Dispose();
        }
    }

    /// <summary>
    /// Applies the records after the applied one up to <paramref name="upTo"/>, a transaction per batch. False when a
    /// batch could not be applied (it is tried again: the reader must be opened anew at the applied record).
    /// </summary>
    private async Task<bool> ApplyUpToAsync(IntakeJournal.Reader reader, long upTo)
    {
        while (Volatile.Read(ref _appliedSeq) < upTo)
        {
            var records = new List<Record>(ApplyBatch);
            var expect = Volatile.Read(ref _appliedSeq) + 1;
            while (records.Count < ApplyBatch && expect <= upTo && reader.TryRead(out var seq, out var payload))
            {
                records.Add(Decode(seq, payload));
                expect = seq + 1;
            }
            if (records.Count == 0)
            {
                log.LogError("Intake journal: record {Seq} is not readable although durable", Volatile.Read(ref _appliedSeq) + 1);
                return false;
            }
            if (!await ApplyAsync(records))
            {
                return false;
            }
        }
        return true;
    }

    private long _appliesSinceCleanup;

    /// <summary>One transaction: the records' rows and the applied number. True when committed.</summary>
    /// <param name="own">A connection of the caller's (the backup's drain); by default the writer's own.</param>
    private async Task<bool> ApplyAsync(IReadOnlyList<Record> records, TaizhangDb? own = null)
    {
        var created = new bool[records.Count];
        var towns = new HashSet<long>();
        var last = records[^1].Seq;
        try
        {
            var db = own ?? await ConnectionAsync();
            var inserts = TableInserts();
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var connection = db.Database.GetDbConnection();
            var transaction = tx.GetDbTransaction();
            // Read in the transaction: another process that applied (a backup draining the journal) is seen here.
            var stored = await ReadAppliedAsync(db, CancellationToken.None);
            using var cases = inserts.Cases.Prepare(connection, transaction);
            using var events = inserts.Events.Prepare(connection, transaction);
            using var reporters = inserts.Reporters.Prepare(connection, transaction);
            using var notifications = inserts.Notifications.Prepare(connection, transaction);
            using var grams = inserts.Grams.Prepare(connection, transaction);
            for (var i = 0; i < records.Count; i++)
            {
                var r = records[i];
                if (r.Seq <= stored)
                {
                    created[i] = true;
                    continue;
                }
                if (await cases.InsertValuesAsync(r.Case) is null)
                {
                    // Its key or reference is in the ledger already: written by another path after the journal loop
                    // looked. The registration is not entered twice; whoever waits hears of the earlier case.
                    log.LogWarning("Intake journal record {Seq}: the case's key or reference is already in the ledger; not entered again", r.Seq);
                    continue;
                }
                foreach (var e in r.Events)
                {
                    await events.InsertValuesAsync(e);
                }
                foreach (var rep in r.Reporters)
                {
                    await reporters.InsertValuesAsync(rep);
                }
                foreach (var n in r.Notifications)
                {
                    await notifications.InsertValuesAsync(n);
                }
                await grams.InsertValuesAsync(r.Gram);
                created[i] = true;
                towns.Add(r.TownId);
            }
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO "Settings" ("Key", "Value", "UpdatedAt", "UpdatedBy") VALUES ({0}, {1}, {2}, 'intake')
                ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value", "UpdatedAt" = excluded."UpdatedAt"
                """,
                [AppliedSetting, Math.Max(stored, last).ToString(System.Globalization.CultureInfo.InvariantCulture), clock.GetUtcNow().UtcDateTime],
                CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            if (own is null)
            {
                await ReleaseConnectionAsync();
            }
            log.LogError(e, "Intake journal records {First}–{Last} could not be applied; trying again", records[0].Seq, last);
            return false;
        }
        // Never backwards (the backup's drain and the applier may both have applied).
        if (last > Volatile.Read(ref _appliedSeq))
        {
            Volatile.Write(ref _appliedSeq, last);
        }
        if (towns.Count > 0)
        {
            changes?.Pulse(towns.ToArray());
        }
        var done = new List<(Action<bool> Action, bool Ok)>();
        lock (_appliedGate)
        {
            for (var i = 0; i < records.Count; i++)
            {
                _pendingIds.Remove(records[i].CaseId);
                _readWaits.Remove(records[i].Seq);
                if (_onApplied.Remove(records[i].Seq, out var actions))
                {
                    done.AddRange(actions.Select(a => (a, created[i])));
                }
            }
        }
        foreach (var (action, ok) in done)
        {
            if (!ok)
            {
                // Not entered (a repeat of a case another path wrote): the waiting registration is told to try again,
                // and its retry with the same key finds that case.
                action(false);
                continue;
            }
            action(true);
        }
        Signal(_appliedSignal);
        _lastApplied = System.Diagnostics.Stopwatch.GetTimestamp();
        if (++_appliesSinceCleanup % 64 == 0 && _journal is { } journal)
        {
            try
            {
                journal.DeleteApplied(last);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.LogWarning(e, "Applied intake journal segments could not be deleted");
            }
        }
        return true;
    }

    /// <summary>Wakes the waiter (a count that never grows past one: the waiters look at the numbers, not the count).</summary>
    private static void Signal(SemaphoreSlim signal)
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    private long _lastApplied;
    private volatile bool _applierStopped;

    /// <summary>
    /// For /health/ready: the applier has stopped while records wait, or records have waited longer than
    /// <paramref name="stuckAfter"/> without any being applied. Null when the journal is healthy (or there is none).
    /// </summary>
    public string? JournalProblem(TimeSpan stuckAfter)
    {
        if (_journal is null || !options.JournalApply || JournalBacklog == 0)
        {
            return null;
        }
        if (_applierStopped)
        {
            return $"The intake journal's applier has stopped with {JournalBacklog} registrations not yet in the ledger.";
        }
        var since = Volatile.Read(ref _lastApplied);
        // Real time, not the application's clock (which tests move by days).
        var waited = System.Diagnostics.Stopwatch.GetElapsedTime(since);
        return waited > stuckAfter
            ? $"No journaled registration has been entered for {waited.TotalSeconds:F0} s ({JournalBacklog} wait)."
            : null;
    }

    /// <summary>At shutdown: whoever still waits for the ledger hears "unavailable" (the record is applied at the next start).</summary>
    private void FailWaiters()
    {
        List<Action<bool>> actions;
        lock (_appliedGate)
        {
            actions = _onApplied.Values.SelectMany(a => a).ToList();
            _onApplied.Clear();
        }
        foreach (var a in actions)
        {
            a(false);
        }
    }
}
