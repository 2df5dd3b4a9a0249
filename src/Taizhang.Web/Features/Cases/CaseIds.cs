using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Features.Cases;

/// <summary>
/// Case ids and their tracking codes. A case's id is allocated before the case is built (its code is
/// derived from the id, and its first event is sealed with the code), so every path that creates cases
/// — the intake writer, imports, the demo — takes its ids from here, never from the insert.
/// <para>
/// Ids come in blocks reserved in the database's own counter for the table: PostgreSQL's identity
/// sequence (nextval, one round trip per block, safe across nodes), SQLite's AUTOINCREMENT counter
/// (sqlite_sequence, raised in a small transaction of its own). An insert that still lets the database
/// choose the id (EF without one) draws from the same counter and so never meets a reserved id. Ids
/// of a block not used before a restart are skipped (gaps, as a sequence has).
/// </para>
/// <para>
/// The code key is <c>Intake:TrackingCodeKey</c> (base64, 32 bytes or more) when configured, otherwise
/// one generated at first use and kept in the settings table (so it is in every backup). Changing it
/// changes every derived code: it must stay what it was.
/// </para>
/// </summary>
public sealed class CaseIds(IServiceScopeFactory scopes, IConfiguration configuration, ILogger<CaseIds> log)
{
    public const string KeySetting = "tracking-code-key";

    /// <summary>Ids reserved per round trip to the counter (the next block is reserved when half is used).</summary>
    public const int BlockSize = 512;

    /// <summary>
    /// The most reserved at once. Under a sustained load the block doubles (a block used up within two seconds)
    /// up to this: on SQLite a reservation waits for the write lock, which the intake journal's applier holds for
    /// its transactions, and registrations answered from the journal must not wait for the ledger. A quiet
    /// server goes back to <see cref="BlockSize"/> (ids of a block unused at a restart are skipped).
    /// </summary>
    public const int MaxBlockSize = 8192;

    private int _blockSize = BlockSize;
    private long _lastReserve;

    private readonly StoredKey _key = new(scopes, configuration, "Intake:TrackingCodeKey", KeySetting);

    private readonly SemaphoreSlim _refilling = new(1, 1);
    private readonly Queue<(long Id, string Code)> _reserved = new();
    private readonly Lock _gate = new();

    public ValueTask<byte[]> KeyAsync(CancellationToken ct) => _key.GetAsync(ct);

    /// <summary>A new case's id and tracking code.</summary>
    public async Task<(long Id, string Code)> NextAsync(CancellationToken ct)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_reserved.TryDequeue(out var next))
                {
                    // The next block is reserved before this one runs out: on SQLite the reservation waits for the
                    // intake writer's lock, and registrations must not wait for it.
                    if (_reserved.Count < _blockSize / 2 && _prefetch is null or { IsCompleted: true })
                    {
                        _prefetch = Task.Run(PrefetchAsync, CancellationToken.None);
                    }
                    return next;
                }
            }
            await RefillAsync(ct);
        }
    }

    private Task? _prefetch;

    private async Task PrefetchAsync()
    {
        try
        {
            await RefillAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // The next registration reserves in the foreground (and hears the failure itself).
            log.LogWarning(e, "Reserving case ids ahead failed");
        }
    }

    private async Task RefillAsync(CancellationToken ct)
    {
        await _refilling.WaitAsync(ct);
        try
        {
            bool low;
            int size;
            lock (_gate)
            {
                low = _reserved.Count < _blockSize / 2;
                var since = System.Diagnostics.Stopwatch.GetElapsedTime(_lastReserve);
                if (low && _lastReserve != 0)
                {
                    _blockSize = since < TimeSpan.FromSeconds(2) ? Math.Min(MaxBlockSize, _blockSize * 2)
                        : since > TimeSpan.FromSeconds(30) ? BlockSize : _blockSize;
                }
                size = _blockSize;
            }
            if (low)
            {
                var block = await ReserveAsync(size, ct);
                lock (_gate)
                {
                    _lastReserve = System.Diagnostics.Stopwatch.GetTimestamp();
                    foreach (var b in block)
                    {
                        _reserved.Enqueue(b);
                    }
                }
            }
        }
        finally
        {
            _refilling.Release();
        }
    }

    /// <summary>Many ids at once (an import's chunk, the demo), in increasing order.</summary>
    public async Task<List<(long Id, string Code)>> NextManyAsync(int count, CancellationToken ct)
    {
        var result = new List<(long, string)>(count);
        await _refilling.WaitAsync(ct);
        try
        {
            while (result.Count < count)
            {
                result.AddRange(await ReserveAsync(Math.Max(count - result.Count, 1), ct));
            }
        }
        finally
        {
            _refilling.Release();
        }
        return result.Count > count ? result[..count] : result;
    }

    private bool? _hasLegacy;

    private async Task<List<(long Id, string Code)>> ReserveAsync(int count, CancellationToken ct)
    {
        var key = await _key.GetAsync(ct);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var ids = await ReserveIdsAsync(db, count, ct);
        var block = ids.Select(id => (id, TrackingCodes.FromId(key, id))).ToList();
        // A code drawn at random before codes were derived can equal a derived one: such an id is skipped,
        // so a legacy code always names its own case. Fresh installations have none and pay nothing.
        _hasLegacy ??= await db.LegacyTrackingCodes.AnyAsync(ct);
        if (_hasLegacy == true)
        {
            var codes = block.Select(b => b.Item2).ToList();
            var taken = (await db.LegacyTrackingCodes.AsNoTracking().Where(l => codes.Contains(l.Code)).Select(l => l.Code).ToListAsync(ct))
                .ToHashSet(StringComparer.Ordinal);
            if (taken.Count > 0)
            {
                log.LogInformation("{Count} derived tracking code(s) equal legacy codes; their ids are skipped", taken.Count);
                block.RemoveAll(b => taken.Contains(b.Item2));
            }
        }
        return block;
    }

    /// <summary>Reserves <paramref name="count"/> ids in the database's counter for Cases (committed at once).</summary>
    public static async Task<List<long>> ReserveIdsAsync(TaizhangDb db, int count, CancellationToken ct)
    {
        var ids = new List<long>(count);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            // Within the caller's transaction when there is one (the demo's seeding: rolled back with it).
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var n = command.CreateParameter();
            n.ParameterName = "@n";
            n.Value = count;
            command.Parameters.Add(n);
            if (db.Database.IsSqlite())
            {
                // AUTOINCREMENT takes max(counter, largest id) + 1 for an insert without an id: raising the counter
                // reserves the ids below it for us, in this process or another. One statement, so atomic; the
                // counter's row exists once the table has had a row (the first statement makes it otherwise).
                command.CommandText = """
                    INSERT INTO sqlite_sequence (name, seq) SELECT 'Cases', 0
                    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'Cases');
                    UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX("Id") FROM "Cases"), 0)) + @n
                    WHERE name = 'Cases' RETURNING seq;
                    """;
                var last = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
                for (var id = last - count + 1; id <= last; id++)
                {
                    ids.Add(id);
                }
                return ids;
            }
            // The identity column's own sequence: what an insert without an id would take, on every node.
            command.CommandText = """SELECT nextval(pg_get_serial_sequence('"Cases"', 'Id')) FROM generate_series(1, @n)""";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids.Add(reader.GetInt64(0));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        ids.Sort();
        return ids;
    }

    /// <summary>The case a tracking code names (derived or legacy), whoever may see it: the caller checks.</summary>
    public async Task<long?> FindAsync(TaizhangDb db, string? code, CancellationToken ct)
    {
        if (TrackingCodes.Normalize(code) is not { } normalized)
        {
            return null;
        }
        var found = await FindAsync(db, [normalized], ct);
        return found.TryGetValue(normalized, out var id) ? id : null;
    }

    /// <summary>
    /// The cases named by (normalized) tracking codes: each code is turned into the id it stands for and
    /// the case read by its key, kept only when its stored code is that code; codes not found so are
    /// looked up among the legacy ones. Two reads by key at most, whatever the number of codes.
    /// </summary>
    public async Task<Dictionary<string, long>> FindAsync(TaizhangDb db, IEnumerable<string> codes, CancellationToken ct)
    {
        var key = await _key.GetAsync(ct);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        var wanted = codes.Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return result;
        }
        var ids = wanted.Select(c => TrackingCodes.ToId(key, c)).OfType<long>().Distinct().ToList();
        if (ids.Count > 0)
        {
            foreach (var c in await db.Cases.AsNoTracking().IgnoreQueryFilters().Where(c => ids.Contains(c.Id))
                .Select(c => new { c.Id, c.TrackingCode }).ToListAsync(ct))
            {
                result[c.TrackingCode] = c.Id;
            }
        }
        var missing = wanted.Where(c => !result.ContainsKey(c)).ToList();
        if (missing.Count > 0)
        {
            foreach (var l in await db.LegacyTrackingCodes.AsNoTracking().Where(l => missing.Contains(l.Code))
                .Select(l => new { l.Code, l.CaseId }).ToListAsync(ct))
            {
                result[l.Code] = l.CaseId;
            }
        }
        // Only codes asked for: a case read by a decoded id whose code is another is no answer.
        foreach (var extra in result.Keys.Where(k => !wanted.Contains(k, StringComparer.Ordinal)).ToList())
        {
            result.Remove(extra);
        }
        return result;
    }
}

/// <summary>Looking up cases by tracking code, wherever a context is at hand (CaseIds is a singleton of the application).</summary>
public static class CaseCodeLookup
{
    public static CaseIds CaseIds(this TaizhangDb db) =>
        db.GetService<Microsoft.EntityFrameworkCore.Infrastructure.IDbContextOptions>()
            .FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<CaseIds>()
        ?? throw new InvalidOperationException("CaseIds is not registered with the application.");

    /// <summary>The id of the case this tracking code names (any form people type), or null.</summary>
    public static Task<long?> CaseIdOfAsync(this TaizhangDb db, string? code, CancellationToken ct) => db.CaseIds().FindAsync(db, code, ct);

    /// <summary>The ids of the cases these (normalized) tracking codes name, by code.</summary>
    public static Task<Dictionary<string, long>> CaseIdsOfAsync(this TaizhangDb db, IEnumerable<string> codes, CancellationToken ct) =>
        db.CaseIds().FindAsync(db, codes, ct);
}
