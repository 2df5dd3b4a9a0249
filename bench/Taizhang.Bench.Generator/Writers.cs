using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Taizhang.Domain.Cases;

namespace Taizhang.Bench.Generator;

internal interface IBulkWriter : IAsyncDisposable
{
    Task WriteAsync(IReadOnlyList<GeneratedCase> batch);

    Task FinishAsync();
}

/// <summary>The columns of the three tables, in the order both writers use (names as in the migrations).</summary>
internal static class Columns
{
    public static readonly string[] Cases =
    [
        "Id", "TownId", "OrgUnitId", "TrackingCode", "Channel", "Title", "Description", "CategoryId", "Urgency", "Track",
        "Status", "AssigneeUnitId", "Lat", "Lng", "Address", "ExternalRef", "IdempotencyKey", "MeetingId", "RegisteredAt",
        "DueAt", "UpdatedAt", "ResolvedAt", "ClosedAt", "Outcome", "Result", "Satisfaction", "HandlingPlan", "MergedIntoId",
        "ReopenCount", "FollowUpCount", "EventCount",
    ];

    public static readonly string[] Reporters = ["Id", "CaseId", "TownId", "Name", "Phone", "AddedAt", "FromCaseId"];

    /// <summary>The full-text index's row of a case (the app's CaseGram: its database triggers build the index).</summary>
    public static readonly string[] Grams = ["CaseId", "TownId", "Grams"];

    public static object?[] GramRow(long id, Case c) => [id, c.TownId, SearchGrams.Document(c.TownId, c.Title, c.Description, c.ExternalRef)];

    public static readonly string[] Events =
    [
        "Id", "CaseId", "TownId", "Sequence", "ActorKind", "ActorId", "ActorName", "At", "Action", "FromStatus", "ToStatus",
        "Reason", "Payload",
    ];

    public static object?[] CaseRow(long id, Case c) =>
    [
        id, c.TownId, c.OrgUnitId, c.TrackingCode, c.Channel.ToString(), c.Title, c.Description, c.CategoryId, c.Urgency.ToString(),
        c.Track?.ToString(), c.Status.ToString(), c.AssigneeUnitId, c.Location?.Lat, c.Location?.Lng, c.Location?.Address,
        c.ExternalRef, c.IdempotencyKey, c.MeetingId, c.RegisteredAt, c.DueAt, c.UpdatedAt, c.ResolvedAt, c.ClosedAt,
        c.Outcome?.ToString(), c.Result, c.Satisfaction?.ToString(), c.HandlingPlan, c.MergedIntoId, c.ReopenCount, c.FollowUpCount, c.EventCount,
    ];

    public static object?[] ReporterRow(long id, long caseId, CaseReporter r) =>
        [id, caseId, r.TownId, r.Name, r.Phone, r.AddedAt, r.FromCaseId];

    public static object?[] EventRow(long id, long caseId, CaseEvent e) =>
    [
        id, caseId, e.TownId, e.Sequence, e.ActorKind.ToString(), e.ActorId, e.ActorName, e.At, e.Action.ToString(),
        e.FromStatus?.ToString(), e.ToStatus.ToString(), e.Reason, e.Payload,
    ];
}

/// <summary>
/// SQLite: one transaction per batch, one prepared INSERT per table. The load itself runs with
/// synchronous=OFF (a failed load is simply started again); the app opens the file with its own
/// settings (WAL, synchronous=FULL) afterwards.
/// </summary>
internal sealed class SqliteWriter : IBulkWriter
{
    private readonly SqliteConnection _connection;
    private long _reporterId;
    private long _eventId;

    private SqliteWriter(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteWriter> OpenAsync(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync();
        await Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;");
        return new SqliteWriter(connection);
    }

    private static async Task Exec(SqliteConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    private SqliteCommand Prepare(SqliteTransaction tx, string table, string[] columns)
    {
        var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        for (var i = 0; i < columns.Length; i++)
        {
            cmd.Parameters.Add(new SqliteParameter("$p" + i, null));
        }
        cmd.Prepare();
        return cmd;
    }

    private static void Run(SqliteCommand cmd, object?[] row)
    {
        for (var i = 0; i < row.Length; i++)
        {
            cmd.Parameters[i].Value = row[i] ?? DBNull.Value;
        }
        cmd.ExecuteNonQuery();
    }

    public async Task WriteAsync(IReadOnlyList<GeneratedCase> batch)
    {
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync();
        using (var cases = Prepare(tx, "Cases", Columns.Cases))
        {
            foreach (var (id, c) in batch)
            {
                Run(cases, Columns.CaseRow(id, c));
            }
        }
        using (var grams = Prepare(tx, "CaseGrams", Columns.Grams))
        {
            foreach (var (id, c) in batch)
            {
                Run(grams, Columns.GramRow(id, c));
            }
        }
        using (var reporters = Prepare(tx, "CaseReporters", Columns.Reporters))
        {
            foreach (var (id, c) in batch)
            {
                foreach (var r in c.Reporters)
                {
                    Run(reporters, Columns.ReporterRow(++_reporterId, id, r));
                }
            }
        }
        using (var events = Prepare(tx, "CaseEvents", Columns.Events))
        {
            foreach (var (id, c) in batch)
            {
                foreach (var e in c.Events)
                {
                    Run(events, Columns.EventRow(++_eventId, id, e));
                }
            }
        }
        await tx.CommitAsync();
    }

    /// <summary>Statistics as the app's own SqliteStatistics leaves them after its first run, then a compact file.</summary>
    public async Task FinishAsync() => await Exec(_connection, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

/// <summary>
/// PostgreSQL: binary COPY per table and batch, in one transaction per batch. Rows are consistent
/// by construction, so the session skips the foreign-key triggers (session_replication_role =
/// replica, superuser only; without it the load is slower but the same). Identity sequences are
/// moved past the generated ids and the tables analysed at the end, as autovacuum would.
/// </summary>
internal sealed class PostgresWriter : IBulkWriter
{
    private static readonly NpgsqlDbType[] CaseTypes =
    [
        NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar,
        NpgsqlDbType.Varchar, NpgsqlDbType.Bigint, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Bigint,
        NpgsqlDbType.Double, NpgsqlDbType.Double, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Bigint,
        NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz, NpgsqlDbType.TimestampTz,
        NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Bigint, NpgsqlDbType.Integer,
        NpgsqlDbType.Integer, NpgsqlDbType.Integer,
    ];

    private static readonly NpgsqlDbType[] GramTypes = [NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Text];

    private static readonly NpgsqlDbType[] ReporterTypes =
    [
        NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar,
        NpgsqlDbType.TimestampTz, NpgsqlDbType.Bigint,
    ];

    private static readonly NpgsqlDbType[] EventTypes =
    [
        NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Bigint, NpgsqlDbType.Integer, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar,
        NpgsqlDbType.Varchar, NpgsqlDbType.TimestampTz, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar, NpgsqlDbType.Varchar,
        NpgsqlDbType.Varchar, NpgsqlDbType.Text,
    ];

    private readonly NpgsqlConnection _connection;
    private long _reporterId;
    private long _eventId;

    private PostgresWriter(NpgsqlConnection connection) => _connection = connection;

    public static async Task<PostgresWriter> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        try
        {
            await Exec(connection, "SET session_replication_role = replica");
        }
        catch (PostgresException e)
        {
            Console.WriteLine($"(foreign-key checks stay on: {e.MessageText})");
        }
        return new PostgresWriter(connection);
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task CopyAsync(string table, string[] columns, NpgsqlDbType[] types, IEnumerable<object?[]> rows)
    {
        await using var import = await _connection.BeginBinaryImportAsync(
            $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)");
        foreach (var row in rows)
        {
            await import.StartRowAsync();
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is null)
                {
                    await import.WriteNullAsync();
                }
                else
                {
                    await import.WriteAsync(row[i], types[i]);
                }
            }
        }
        await import.CompleteAsync();
    }

    public async Task WriteAsync(IReadOnlyList<GeneratedCase> batch)
    {
        await using var tx = await _connection.BeginTransactionAsync();
        await CopyAsync("Cases", Columns.Cases, CaseTypes, batch.Select(g => Columns.CaseRow(g.Id, g.Case)));
        await CopyAsync("CaseGrams", Columns.Grams, GramTypes, batch.Select(g => Columns.GramRow(g.Id, g.Case)));
        await CopyAsync("CaseReporters", Columns.Reporters, ReporterTypes,
            batch.SelectMany(g => g.Case.Reporters.Select(r => Columns.ReporterRow(++_reporterId, g.Id, r))));
        await CopyAsync("CaseEvents", Columns.Events, EventTypes,
            batch.SelectMany(g => g.Case.Events.Select(e => Columns.EventRow(++_eventId, g.Id, e))));
        await tx.CommitAsync();
    }

    public async Task FinishAsync()
    {
        foreach (var table in new[] { "Cases", "CaseReporters", "CaseEvents" })
        {
            await Exec(_connection, $"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'Id'), (SELECT COALESCE(MAX(\"Id\"), 1) FROM \"{table}\"))");
        }
        // The search texts are kept by a trigger on Cases, which COPY under the replica role skips.
        await Exec(_connection, "INSERT INTO \"CaseTexts\" (\"TownId\", \"CaseId\", \"Text\") SELECT \"TownId\", \"Id\", \"Title\" || E'\\n' || \"Description\" FROM \"Cases\" ON CONFLICT DO NOTHING");
        // The same for the full-text index: the tokens COPY wrote become the tsvector the app's trigger would have made.
        await Exec(_connection, """
            UPDATE "CaseGrams" SET "Grams" = '', "Vector" = COALESCE((
                SELECT string_agg('''' || replace(t, '''', '''''') || ''':' || least(n, 16383), ' ')
                FROM unnest(string_to_array("Grams", ' ')) WITH ORDINALITY AS u(t, n) WHERE t <> '')::tsvector, ''::tsvector)
            WHERE "Grams" <> ''
            """);
        // And the county counters (CaseCounterSql): their triggers were skipped the same way, so the golden database had
        // triggers and empty counters, and the app (which only recounts when the triggers are missing) read zeros: every
        // county figure from the counters was 0 on PostgreSQL (the board's stages, the ledger's totals).
        foreach (var sql in Taizhang.Web.Data.CaseCounterSql.Recount(sqlite: false, TimeZoneInfo.FindSystemTimeZoneById(new Taizhang.Web.Infrastructure.CalendarOptions().TimeZone)))
        {
            await Exec(_connection, sql);
        }
        // VACUUM as well: it sets the visibility map, without which every index-only count (a channel, a unit at county
        // scope) fetched each matching heap row (measured: 200,000 Hotline cases counted in 245 ms before, see BENCHMARKS.md).
        await Exec(_connection, "VACUUM ANALYZE");
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
