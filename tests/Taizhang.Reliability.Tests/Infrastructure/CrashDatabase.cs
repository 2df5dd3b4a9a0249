using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Taizhang.Reliability.Tests.Infrastructure;

/// <summary>
/// A fresh database for one crash run, read directly (not through the app) once the app has
/// stopped: what is on disk is what counts.
/// </summary>
public abstract class CrashDatabase : IAsyncDisposable
{
    public abstract string Provider { get; }

    public abstract string ConnectionString { get; }

    public abstract Task CreateAsync();

    protected abstract DbConnection Open();

    /// <summary>SQLite: PRAGMA integrity_check. PostgreSQL: the server guarantees its pages; "ok" if the tables can be fully read.</summary>
    public abstract Task<string> IntegrityAsync();

    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// Every stored case of this run that was sent with an Idempotency-Key: key → (id, tracking code).
    /// The key is read back from the title the run wrote it into; the app stores keys hashed with
    /// their caller, so the stored column says which cases had one, not which.
    /// </summary>
    public async Task<List<(string Key, long Id, string TrackingCode)>> CasesWithKeysAsync(string titlePrefix, Func<string, string> keyOfTitle)
    {
        await using var conn = Open();
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT \"Title\", \"Id\", \"TrackingCode\" FROM \"Cases\" WHERE \"Title\" LIKE @p AND \"IdempotencyKey\" IS NOT NULL";
        Parameter(cmd, "@p", titlePrefix + "%");
        var rows = new List<(string, long, string)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((keyOfTitle(reader.GetString(0)), reader.GetInt64(1), reader.GetString(2)));
        }
        return rows;
    }

    /// <summary>Cases whose title carries the run's marker, with or without a key (a duplicate would show here).</summary>
    public async Task<long> CasesWithTitlePrefixAsync(string prefix)
    {
        await using var conn = Open();
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM \"Cases\" WHERE \"Title\" LIKE @p";
        Parameter(cmd, "@p", prefix + "%");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>Case id → (number of events, whether the first is the Register event, number of reporters).</summary>
    public async Task<Dictionary<long, (long Events, bool RegisteredFirst, long Reporters)>> EventsAsync(string titlePrefix)
    {
        await using var conn = Open();
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            SELECT c."Id",
                   (SELECT COUNT(*) FROM "CaseEvents" e WHERE e."CaseId" = c."Id"),
                   (SELECT COUNT(*) FROM "CaseEvents" e WHERE e."CaseId" = c."Id" AND e."Action" = 'Register'
                        AND e."Sequence" = (SELECT MIN(f."Sequence") FROM "CaseEvents" f WHERE f."CaseId" = c."Id")),
                   (SELECT COUNT(*) FROM "CaseReporters" r WHERE r."CaseId" = c."Id")
            FROM "Cases" c WHERE c."Title" LIKE @p
            """;
        Parameter(cmd, "@p", titlePrefix + "%");
        var result = new Dictionary<long, (long, bool, long)>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetInt64(0)] = (reader.GetInt64(1), reader.GetInt64(2) == 1, reader.GetInt64(3));
        }
        return result;
    }

    private static void Parameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    protected static async Task<string> ScalarAsync(DbConnection conn, string sql)
    {
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}

public sealed class SqliteCrashDatabase : CrashDatabase
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "taizhang-crash", Guid.NewGuid().ToString("N"));

    public override string Provider => "Sqlite";

    public string FilePath => Path.Combine(_dir, "taizhang.db");

    public override string ConnectionString => $"Data Source={FilePath}";

    public override Task CreateAsync()
    {
        Directory.CreateDirectory(_dir);
        return Task.CompletedTask;
    }

    // No pool: the file is read after the app has gone, by this process alone, then deleted.
    protected override DbConnection Open() => new SqliteConnection($"Data Source={FilePath};Pooling=False");

    public override async Task<string> IntegrityAsync()
    {
        await using var conn = Open();
        await conn.OpenAsync();
        return await ScalarAsync(conn, "PRAGMA integrity_check");
    }

    public override ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder; the result stands.
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>A fresh database on the server of TAIZHANG_TEST_POSTGRES; only the app is killed, never PostgreSQL.</summary>
public sealed class PostgresCrashDatabase : CrashDatabase
{
    public const string ServerVariable = "TAIZHANG_TEST_POSTGRES";
    private readonly string _database = "tz_crash_" + Guid.NewGuid().ToString("N")[..12];

    public override string Provider => "Postgres";

    private static string ServerConnection => Environment.GetEnvironmentVariable(ServerVariable)
        ?? throw new InvalidOperationException(
            $"{ServerVariable} is not set. Run ./test.sh, which starts a PostgreSQL server, or set it to a server's connection string.");

    public override string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnection) { Database = _database }.ToString();

    public override async Task CreateAsync()
    {
        await using var conn = new NpgsqlConnection(ServerConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    protected override DbConnection Open() => new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());

    public override async Task<string> IntegrityAsync()
    {
        await using var conn = Open();
        await conn.OpenAsync();
        // Sequential scans of the tables the intake writes, and an index scan of the key index:
        // a damaged page or an index out of step with its table shows as an error or a mismatch.
        var seq = await ScalarAsync(conn, """
            SELECT (SELECT COUNT(*) FROM "Cases") || '/' || (SELECT COUNT(*) FROM "CaseEvents") || '/' || (SELECT COUNT(*) FROM "CaseReporters")
            """);
        await using (var off = conn.CreateCommand())
        {
            off.CommandText = "SET enable_seqscan = off";
            await off.ExecuteNonQueryAsync();
        }
        var keyed = await ScalarAsync(conn, "SELECT COUNT(*) FROM \"Cases\" WHERE \"IdempotencyKey\" IS NOT NULL AND \"TownId\" > 0");
        await using (var on = conn.CreateCommand())
        {
            on.CommandText = "SET enable_seqscan = on; SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off";
            await on.ExecuteNonQueryAsync();
        }
        var keyedSeq = await ScalarAsync(conn, "SELECT COUNT(*) FROM \"Cases\" WHERE \"IdempotencyKey\" IS NOT NULL AND \"TownId\" > 0");
        return keyed == keyedSeq && seq.Length > 0 ? "ok" : $"index and table disagree: {keyed} vs {keyedSeq}";
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(ServerConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
