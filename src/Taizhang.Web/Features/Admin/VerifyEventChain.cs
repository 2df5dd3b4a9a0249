using System.Data;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// Walks the hash chain of every case's timeline (see <see cref="Domain.Cases.CaseEvent"/>) and
/// reports the first broken link: `dotnet Taizhang.Web.dll verify [--case ID]` for the server's
/// operator, GET /api/v1/admin/verify and the page /admin/verify for administrators: the whole
/// ledger at the top level, the cases registered in their area for the others.
/// </summary>
public static class VerifyEventChain
{
    /// <param name="Kind">What broke, for the page's text: missing, order, unsealed, changed, deleted, added, head, orphan.</param>
    public sealed record BrokenLink(long CaseId, string TrackingCode, int Sequence, string Problem, string Kind);

    /// <summary>
    /// <paramref name="UnsealedEvents"/>: events written before the chain existed (no hash); they
    /// cannot be checked and do not make the ledger broken, but are counted so they are not hidden.
    /// </summary>
    /// <param name="Broken">The first broken link of each broken case, up to <see cref="MaxListed"/>.</param>
    /// <param name="ElapsedMilliseconds">How long the check took (a big ledger takes a while).</param>
    /// <param name="AttachmentsChecked">Attachments whose row, event and file (and thumbnail) were checked; 0 without the store.</param>
    public sealed record Response(bool Intact, int CasesChecked, long EventsChecked, long UnsealedEvents, int BrokenCases, BrokenLink? FirstBroken,
        IReadOnlyList<BrokenLink> Broken, long ElapsedMilliseconds,
        int AttachmentsChecked = 0, int BrokenAttachments = 0, BrokenAttachment? FirstBrokenAttachment = null);

    public const int MaxListed = 100;

    /// <summary>An attachment whose file is missing or no longer the bytes it was stored as, or whose row differs from its event.</summary>
    public sealed record BrokenAttachment(long CaseId, long AttachmentId, string Problem);

    /// <summary>Cases per read: memory stays constant however large the ledger is.</summary>
    public const int BatchSize = 500;

    private sealed record CaseHead(long Id, string TrackingCode, int EventCount, string? LastEventHash);

    /// <param name="units">Only the cases registered at these units (an administrator's area); null: every case, and events of no case.</param>
    /// <param name="attachments">The attachment store: with it, every attachment's file (and thumbnail) is read again and hashed.</param>
    public static async Task<Response> VerifyAsync(TaizhangDb db, long? caseId, CancellationToken ct, long[]? units = null, AttachmentStore? attachments = null)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var listed = new List<BrokenLink>();
        var cases = 0;
        var brokenCases = 0;
        long events = 0;
        long unsealed = 0;
        BrokenLink? first = null;
        long after = 0;
        while (true)
        {
            // One snapshot per batch: a transition committed while we read cannot look like a break.
            await using var snapshot = await BeginSnapshotAsync(db, ct);
            var query = db.Cases.AsNoTracking().Where(c => c.Id > after);
            if (caseId is { } only)
            {
                query = query.Where(c => c.Id == only);
            }
            if (units is not null)
            {
                query = query.Where(c => units.Contains(c.OrgUnitId));
            }
            var heads = await query.OrderBy(c => c.Id).Take(BatchSize)
                .Select(c => new CaseHead(c.Id, c.TrackingCode, c.EventCount, c.LastEventHash))
                .ToListAsync(ct);
            if (heads.Count == 0)
            {
                // Ended, not abandoned: on SQLite the snapshot is the connection's own transaction, which
                // disposing does not end, and a later write in this scope would go into it and be lost.
                await snapshot.CommitAsync(ct);
                break;
            }
            var (lo, hi) = (heads[0].Id, heads[^1].Id);
            var caseEvents = db.CaseEvents.AsNoTracking().Where(e => e.CaseId >= lo && e.CaseId <= hi);
            if (units is not null)
            {
                // Cases of other areas lie between these ids: their events are neither read nor counted.
                var ids = heads.Select(h => h.Id).ToArray();
                caseEvents = caseEvents.Where(e => ids.Contains(e.CaseId));
            }
            var stream = caseEvents
                .OrderBy(e => e.CaseId).ThenBy(e => e.Sequence)
                .AsAsyncEnumerable();
            var i = 0;
            var walk = new Walk(heads[0]);
            void Finish()
            {
                cases++;
                unsealed += walk.Unsealed;
                if (walk.Finish() is { } broken)
                {
                    brokenCases++;
                    first ??= broken;
                    if (listed.Count < MaxListed)
                    {
                        listed.Add(broken);
                    }
                }
            }
            await foreach (var e in stream.WithCancellation(ct))
            {
                events++;
                while (e.CaseId > heads[i].Id)
                {
                    Finish();
                    walk = new Walk(heads[++i]);
                }
                // An event of no case (only with foreign keys switched off) is counted below, not blamed on a neighbour.
                if (e.CaseId == heads[i].Id)
                {
                    walk.Next(e);
                }
            }
            Finish();
            while (++i < heads.Count)
            {
                walk = new Walk(heads[i]);
                Finish();
            }
            await snapshot.CommitAsync(ct);
            after = hi;
        }
        if (caseId is null && units is null)
        {
            var orphan = await db.CaseEvents.AsNoTracking().Where(e => !db.Cases.Any(c => c.Id == e.CaseId))
                .OrderBy(e => e.CaseId).ThenBy(e => e.Sequence).Select(e => new { e.CaseId, e.Sequence }).FirstOrDefaultAsync(ct);
            if (orphan is not null)
            {
                brokenCases++;
                var link = new BrokenLink(orphan.CaseId, "", orphan.Sequence, "the event belongs to no case (its case was deleted)", "orphan");
                first ??= link;
                if (listed.Count < MaxListed)
                {
                    listed.Add(link);
                }
            }
        }
        var (checkedFiles, brokenFiles, firstFile) = attachments is null ? (0, 0, null) : await VerifyAttachmentsAsync(db, attachments, caseId, units, ct);
        return new Response(brokenCases == 0 && brokenFiles == 0, cases, events, unsealed, brokenCases, first, listed,
            (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, checkedFiles, brokenFiles, firstFile);
    }

    /// <summary>
    /// Every attachment: its row still says what its AddAttachment event sealed (name, size, hash),
    /// and its file and thumbnail are in the store with those very bytes (hashed again).
    /// </summary>
    private static async Task<(int Checked, int Broken, BrokenAttachment? First)> VerifyAttachmentsAsync(
        TaizhangDb db, AttachmentStore store, long? caseId, long[]? units, CancellationToken ct)
    {
        var count = 0;
        var broken = 0;
        BrokenAttachment? first = null;
        var hashed = new Dictionary<string, (string Sha256, long Size)?>(StringComparer.Ordinal);
        async Task<string?> FileProblemAsync(string sha, long? size, string what)
        {
            if (!AttachmentStore.IsHash(sha))
            {
                return $"the {what}'s recorded hash is not a SHA-256";
            }
            if (!hashed.TryGetValue(sha, out var actual))
            {
                hashed[sha] = actual = await store.HashAsync(sha, ct);
            }
            return actual switch
            {
                null => $"the {what} is missing from the attachment store ({store.PathOf(sha)})",
                var (real, _) when real != sha => $"the {what} was altered: its content no longer matches its SHA-256",
                var (_, realSize) when size is { } expected && realSize != expected => $"the {what} was altered: {realSize} bytes, recorded {expected}",
                _ => null,
            };
        }
        long after = 0;
        while (true)
        {
            var query = db.CaseAttachments.AsNoTracking().Where(a => a.Id > after);
            if (caseId is { } only)
            {
                query = query.Where(a => a.CaseId == only);
            }
            if (units is not null)
            {
                query = query.Where(a => db.Cases.Any(c => c.Id == a.CaseId && units.Contains(c.OrgUnitId)));
            }
            var rows = await query.OrderBy(a => a.Id).Take(BatchSize)
                .Select(a => new
                {
                    a.Id, a.CaseId, a.FileName, a.Size, a.Sha256, a.ThumbnailSha256,
                    Sealed = db.CaseEvents.Where(e => e.CaseId == a.CaseId && e.Sequence == a.EventSequence && e.Action == Domain.Cases.CaseAction.AddAttachment)
                        .Select(e => e.Payload).FirstOrDefault(),
                })
                .ToListAsync(ct);
            if (rows.Count == 0)
            {
                break;
            }
            foreach (var a in rows)
            {
                count++;
                var problem = SealedProblem(a.Sealed, a.FileName, a.Size, a.Sha256)
                    ?? await FileProblemAsync(a.Sha256, a.Size, "file")
                    ?? (a.ThumbnailSha256 is { } thumb ? await FileProblemAsync(thumb, null, "thumbnail") : null);
                if (problem is not null)
                {
                    broken++;
                    first ??= new BrokenAttachment(a.CaseId, a.Id, problem);
                }
            }
            after = rows[^1].Id;
        }
        return (count, broken, first);
    }

    private static string? SealedProblem(string? payload, string fileName, long size, string sha256)
    {
        if (payload is null)
        {
            return "the attachment has no AddAttachment event on its case's timeline";
        }
        using var sealedEvent = JsonDocument.Parse(payload);
        var p = sealedEvent.RootElement;
        string? Str(string name) => p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        long? Long(string name) => p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
        return Str("sha256") == sha256 && Str("fileName") == fileName && Long("size") == size
            ? null
            : "the attachment's row does not match what its event sealed (name, size or hash changed)";
    }

    /// <summary>One case's chain, event by event; remembers only its first problem.</summary>
    private sealed class Walk(CaseHead head)
    {
        private int _expected = 1;
        private string? _previous;
        private bool _sealed;
        private BrokenLink? _broken;

        public long Unsealed { get; private set; }

        public void Next(Domain.Cases.CaseEvent e)
        {
            if (_broken is not null)
            {
                return;
            }
            if (e.Sequence != _expected)
            {
                Break(e.Sequence > _expected ? _expected : e.Sequence, e.Sequence > _expected
                    ? $"event {_expected} is missing (the next event is {e.Sequence})"
                    : $"event {e.Sequence} is out of order (expected {_expected})", e.Sequence > _expected ? "missing" : "order");
                return;
            }
            if (e.Hash is null)
            {
                if (_sealed)
                {
                    Break(e.Sequence, "the event has no hash, although earlier events of the case are sealed", "unsealed");
                    return;
                }
                // Written before the chain existed; a chain started later begins from zeros, as Append does.
                Unsealed++;
            }
            else
            {
                _sealed = true;
                if (!string.Equals(e.ComputeHash(head.TrackingCode, _previous), e.Hash, StringComparison.Ordinal))
                {
                    Break(e.Sequence, "the event's content does not match its hash (the event was changed, or moved from another case)", "changed");
                    return;
                }
            }
            _previous = e.Hash;
            _expected++;
        }

        public BrokenLink? Finish()
        {
            if (_broken is not null)
            {
                return _broken;
            }
            var last = _expected - 1;
            if (last < head.EventCount)
            {
                Break(last + 1, $"the case records {head.EventCount} events, but its timeline ends at event {last} (events deleted)", "deleted");
            }
            else if (last > head.EventCount)
            {
                Break(head.EventCount + 1, $"the timeline has {last} events, but the case records {head.EventCount} (events added)", "added");
            }
            else if (!string.Equals(head.LastEventHash, _previous, StringComparison.Ordinal))
            {
                Break(last, "the case's chain head does not match the hash of its last event", "head");
            }
            return _broken;
        }

        private void Break(int sequence, string problem, string kind) =>
            _broken = new BrokenLink(head.Id, head.TrackingCode, sequence, problem, kind);
    }

    /// <summary>
    /// A read snapshot without blocking writers: a deferred transaction on SQLite (WAL), repeatable
    /// read on PostgreSQL. (Microsoft.Data.Sqlite would otherwise begin IMMEDIATE, taking the write lock.)
    /// </summary>
    private static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginSnapshotAsync(TaizhangDb db, CancellationToken ct)
    {
        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(ct);
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            return await db.Database.UseTransactionAsync(connection.BeginTransaction(deferred: true), ct)
                ?? throw new InvalidOperationException("SQLite transaction was not taken up.");
        }
        return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
    }

    /// <summary>
    /// An administrator's check: the whole ledger at the top level, the cases registered in their
    /// area otherwise (a case of another area is 404, like a missing one). Each run is in the audit
    /// trail with its result, so the administration page can say when the ledger was last checked.
    /// </summary>
    public sealed class Handler(TaizhangDb db, AdminScope admin, TimeProvider clock, AttachmentStore attachments)
    {
        public const string AuditAction = "ledger.verify";

        public async Task<Response> HandleAsync(long? caseId, CancellationToken ct)
        {
            var scope = await admin.RequireAsync(ct);
            var units = scope.IsTopLevel ? null : scope.CoveredUnits.Where(u => u.CanOwnCases).Select(u => u.Id).ToArray();
            var result = await VerifyAsync(db, caseId, ct, units, attachments);
            if (caseId is not null && result.CasesChecked == 0)
            {
                throw new NotFoundException("case");
            }
            db.Record(scope.Principal.Actor, clock.GetUtcNow().UtcDateTime, AuditAction, caseId is { } id ? "case:" + id : "ledger",
                $"intact={result.Intact}; cases={result.CasesChecked}; events={result.EventsChecked}; broken={result.BrokenCases}; attachments={result.AttachmentsChecked}; broken attachments={result.BrokenAttachments}",
                scope.IsTopLevel ? null : scope.Area);
            await db.SaveChangesAsync(ct);
            return result;
        }
    }

    /// <summary>GET /api/v1/admin/verify[?caseId=].</summary>
    public static async Task<Ok<Response>> Endpoint(Handler h, long? caseId, CancellationToken ct) =>
        TypedResults.Ok(await h.HandleAsync(caseId, ct));

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "verify";

    /// <summary>
    /// Exit code 0 when every chain is intact, 1 when one is broken, 2 for bad arguments. Other
    /// arguments are left alone: they are configuration (--Database:ConnectionString=…).
    /// </summary>
    public static async Task<int> RunCommandAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken ct = default)
    {
        long? caseId = null;
        var i = Array.IndexOf(args, "--case");
        if (i >= 0)
        {
            if (i + 1 >= args.Length || !long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                output.WriteLine("usage: verify [--case CASE-ID]");
                return 2;
            }
            caseId = id;
        }
        await using var scope = services.CreateAsyncScope();
        var r = await VerifyAsync(scope.ServiceProvider.GetRequiredService<TaizhangDb>(), caseId, ct, attachments: scope.ServiceProvider.GetService<AttachmentStore>());
        if (caseId is not null && r.CasesChecked == 0)
        {
            output.WriteLine($"error: --case: no case has the id {caseId}");
            return 2;
        }
        output.WriteLine($"checked {r.CasesChecked} cases, {r.EventsChecked} events, {r.AttachmentsChecked} attachments"
            + (r.UnsealedEvents > 0 ? $" ({r.UnsealedEvents} unsealed: written before the hash chain existed, not checkable)" : ""));
        if (r.FirstBroken is { } b)
        {
            output.WriteLine($"BROKEN: {r.BrokenCases} case(s); first: case {b.CaseId} ({b.TrackingCode}), event {b.Sequence}: {b.Problem}");
        }
        if (r.FirstBrokenAttachment is { } f)
        {
            output.WriteLine($"BROKEN: {r.BrokenAttachments} attachment(s); first: case {f.CaseId}, attachment {f.AttachmentId}: {f.Problem}");
        }
        if (!r.Intact)
        {
            return 1;
        }
        output.WriteLine("intact: every case's event chain matches its hashes, and every attachment its file");
        return 0;
    }
}
