using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Taizhang.Web.Data;

/// <summary>
/// The triggers that keep <see cref="CaseStatusCount"/> and <see cref="CaseFactCount"/> in the same
/// transaction as every write to "Cases", and the full recount that builds them from the cases.
/// <para>
/// Why triggers and not application code: cases are written by the domain's transitions (EF), by the
/// intake writer's raw inserts (<see cref="TableInsert"/>), by imports, restores and the bench generator;
/// a trigger sees them all, inside the writer's own transaction, so a counter cannot drift from the rows
/// it counts. A registration pays two small upserts (one row each); a transition that changes none of
/// the counted columns pays nothing (the triggers' WHEN), one that does pays two decrements and two upserts.
/// </para>
/// <para>
/// Created (and the counters recounted) at start when missing or made for another time zone: the
/// trigger's name carries a version and the zone (<see cref="TriggerName"/>), so a new definition, a
/// changed <c>Calendar:TimeZone</c>, an old database (the 1,000,000-case golden) or a SQLite table
/// rebuild by a migration (which drops the table's triggers) all end in a recount at the next start.
/// SQLite has no time zones: the month is computed at the zone's fixed offset, and the counters are used only
/// when the zone has no daylight saving in the years asked (<see cref="FixedOffsetMinutes"/>); PostgreSQL
/// converts with the zone itself.
/// </para>
/// <para>
/// PostgreSQL (version 2): the triggers only append delta rows (<see cref="CaseStatusCountDelta"/>,
/// <see cref="CaseFactCountDelta"/>: the key and +1 or -1, no unique key), so writers of "Cases" never wait on
/// each other's counter rows. In-place upserts deadlocked (40P01) when two transactions touched a village's
/// status row and the town's month row in opposite orders (two nodes' intake batches, the intake writer and a
/// triage), and serialized every registration of a town on its month row until commit. Readers sum base + deltas
/// in one statement (one snapshot: either side of a compaction's commit); <see cref="CompactAsync"/> folds the
/// deltas into the base rows (the cluster's job leader every few seconds, and a reader that finds many).
/// SQLite keeps the in-place upserts (one writer at a time: nothing to deadlock with); its delta tables stay empty.
/// </para>
/// </summary>
public static partial class CaseCounterSql
{
    /// <summary>Bump when a trigger's definition changes: the next start recreates them and recounts.</summary>
    public const int Version = 5;

    /// <summary>
    /// SQLite's triggers did not change in version 2 (PostgreSQL's deltas): an old SQLite database was not recounted for it.
    /// Version 3 (both; SQLite's 2): the breakdown counters (<see cref="CaseBreakdownCount"/>); 4 (SQLite's 3): their conditions without IN lists;
    /// SQLite's 4: the breakdown's year roll-up (CaseCounterSql.Breakdown.cs). 5 (both): the kind counters (<see cref="CaseKindCount"/>).
    /// </summary>
    public const int SqliteVersion = 5;

    /// <summary>The name prefix every counter trigger has (all of them are dropped before recreating).</summary>
    public const string Prefix = "Cases_Counters_";

    [GeneratedRegex("^[A-Za-z0-9_/+-]+$")]
    private static partial Regex ZoneName();

    /// <summary>
    /// The zone's offset in minutes when it is the same all year for every year from 2000 to 2100 (Asia/Shanghai: 480);
    /// null otherwise (SQLite's counters then stay unused: the month of a case could not be told in SQL).
    /// </summary>
    public static int? FixedOffsetMinutes(TimeZoneInfo zone)
    {
        var offsets = Enumerable.Range(2000, 101)
            .SelectMany(y => new[] { new DateTime(y, 1, 15, 0, 0, 0, DateTimeKind.Utc), new DateTime(y, 7, 15, 0, 0, 0, DateTimeKind.Utc) })
            .Select(d => zone.GetUtcOffset(d)).Distinct().ToList();
        return offsets.Count == 1 ? (int)offsets[0].TotalMinutes : null;
    }

    /// <summary>The trigger's name for this version and zone: a different one means "recreate and recount".</summary>
    public static string TriggerName(bool sqlite, TimeZoneInfo zone) =>
        sqlite ? $"{Prefix}v{SqliteVersion}_m{FixedOffsetMinutes(zone)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "x"}"
            : $"{Prefix}v{Version}_{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(zone.Id)))[..8].ToLowerInvariant()}";

    private const string StatusColumns = "\"TownId\", \"OrgUnitId\", \"Status\"";

    private const string FactColumns = "\"TownId\", \"Month\", \"Status\", \"Outcome\", \"Satisfaction\", \"OnTime\", \"Reopened\", \"FollowedUp\", "
        + "\"Returned\", \"AssignedOnce\", \"ContactedInTime\", \"ResolvedByResident\"";

    private static readonly string[] FactColumnNames = FactColumns.Split(", ");

    private const string KindColumns = "\"TownId\", \"Channel\", \"Urgency\", \"Track\"";

    /// <summary>A case's kind key (<see cref="CaseKindCount"/>), from its row: "" for no track.</summary>
    private static string[] KindKey(string p) => [$"{p}.\"TownId\"", $"{p}.\"Channel\"", $"{p}.\"Urgency\"", $"COALESCE({p}.\"Track\", '')"];

    /// <summary>A case's status key, from its row (p: new, old, or the table).</summary>
    private static string[] StatusKey(string p) => [$"{p}.\"TownId\"", $"{p}.\"OrgUnitId\"", $"{p}.\"Status\""];

    /// <summary>
    /// A case's facts key, from its row: the same facts <c>PeriodFacts</c> groups by (CaseFacts), reduced to
    /// what the headline figures count. Keep in step with PeriodFacts.GetAsync's GroupBy.
    /// </summary>
    private static string[] FactKey(string p, bool sqlite, string zoneOrOffset) =>
    [
        $"{p}.\"TownId\"",
        sqlite
            ? $"CAST(strftime('%Y%m', {p}.\"RegisteredAt\", '{zoneOrOffset} minutes') AS INTEGER)"
            : $"CAST(to_char({p}.\"RegisteredAt\" AT TIME ZONE '{zoneOrOffset}', 'YYYYMM') AS integer)",
        $"{p}.\"Status\"",
        $"COALESCE({p}.\"Outcome\", '')",
        $"COALESCE({p}.\"Satisfaction\", '')",
        $"({p}.\"ResolvedAt\" IS NOT NULL AND {p}.\"ResolvedAt\" < {p}.\"DueAt\")",
        $"({p}.\"ReopenCount\" > 0)",
        $"({p}.\"FollowUpCount\" > 0)",
        $"({p}.\"ReturnCount\" > 0)",
        $"({p}.\"AssigneeUnitId\" IS NOT NULL OR {p}.\"ReturnCount\" > 0)",
        $"{p}.\"ContactedInTime\"",
        sqlite ? $"COALESCE({p}.\"ResolvedByResident\", -1)"
            : $"(CASE WHEN {p}.\"ResolvedByResident\" IS NULL THEN -1 WHEN {p}.\"ResolvedByResident\" THEN 1 ELSE 0 END)",
    ];

    /// <summary>The columns of "Cases" whose change can move a case between counter rows.</summary>
    private static readonly string[] CountedColumns =
    [
        "TownId", "OrgUnitId", "Status", "RegisteredAt", "Outcome", "Satisfaction", "ResolvedAt", "DueAt", "ReopenCount",
        "FollowUpCount", "ReturnCount", "AssigneeUnitId", "ContactedInTime", "ResolvedByResident",
        // The breakdown's dimensions (CaseCounterSql.Breakdown.cs).
        "Channel", "CategoryId", "Urgency", "Track",
    ];

    private static string Changed(bool sqlite) => string.Join(" OR ", CountedColumns.Select(c =>
        sqlite ? $"old.\"{c}\" IS NOT new.\"{c}\"" : $"OLD.\"{c}\" IS DISTINCT FROM NEW.\"{c}\""));

    private static string Upsert(string table, string columns, string[] values, bool sqlite) =>
        $"INSERT INTO \"{table}\" ({columns}, \"Count\") VALUES ({string.Join(", ", values)}, 1) "
        + $"ON CONFLICT ({columns}) DO UPDATE SET \"Count\" = {(sqlite ? "" : $"\"{table}\".")}\"Count\" + 1;";

    private static string Decrement(string table, string columns, string[] values) =>
        $"UPDATE \"{table}\" SET \"Count\" = \"Count\" - 1 WHERE "
        + string.Join(" AND ", columns.Split(", ").Zip(values, (c, v) => $"{c} = {v}")) + ";";

    private static string Append(string table, string columns, string[] values, int count) =>
        $"INSERT INTO \"{table}\" ({columns}, \"Count\") VALUES ({string.Join(", ", values)}, {count});";

    private static string ZoneArgument(bool sqlite, TimeZoneInfo zone)
    {
        if (sqlite)
        {
            var minutes = FixedOffsetMinutes(zone) ?? 0;
            return (minutes >= 0 ? "+" : "") + minutes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (!ZoneName().IsMatch(zone.Id))
        {
            throw new InvalidOperationException($"Time zone id not usable in SQL: {zone.Id}");
        }
        return zone.Id;
    }

    /// <summary>
    /// SQLite: drops this version's triggers on "Cases" for <paramref name="zone"/> (a migration's Down: the older app recreates
    /// its own at the next start and recounts).
    /// </summary>
    public static string DropSqliteCaseTriggers(TimeZoneInfo zone)
    {
        var name = TriggerName(true, zone);
        return string.Concat(new[] { "Insert", "Update", "Delete", "YearInsert", "YearUpdate", "YearDelete" }
            .Select(t => $"DROP TRIGGER IF EXISTS \"{name}_{t}\"; "));
    }

    /// <summary>The statements creating the triggers (after the old ones are dropped).</summary>
    public static IReadOnlyList<string> CreateTriggers(bool sqlite, TimeZoneInfo zone)
    {
        var name = TriggerName(sqlite, zone);
        var z = ZoneArgument(sqlite, zone);
        if (sqlite)
        {
            string Add(string p) => Upsert("CaseStatusCounts", StatusColumns, StatusKey(p), true) + "\n"
                + Upsert("CaseFactCounts", FactColumns, FactKey(p, true, z), true) + "\n"
                + Upsert("CaseKindCounts", KindColumns, KindKey(p), true) + "\n" + SqliteBreakdown(p, 1, z);
            string Remove(string p) => Decrement("CaseStatusCounts", StatusColumns, StatusKey(p)) + "\n"
                + Decrement("CaseFactCounts", FactColumns, FactKey(p, true, z)) + "\n"
                + Decrement("CaseKindCounts", KindColumns, KindKey(p)) + "\n" + SqliteBreakdown(p, -1, z);
            return
            [
                .. CreateUnitEventTriggers(true, name, z),
                $"CREATE TRIGGER \"{name}_Insert\" AFTER INSERT ON \"Cases\" BEGIN\n{Add("new")}\nEND;",
                $"CREATE TRIGGER \"{name}_Update\" AFTER UPDATE OF {string.Join(", ", CountedColumns.Select(c => $"\"{c}\""))} ON \"Cases\" "
                    + $"WHEN {Changed(true)} BEGIN\n{Remove("old")}\n{Add("new")}\nEND;",
                $"CREATE TRIGGER \"{name}_Delete\" AFTER DELETE ON \"Cases\" BEGIN\n{Remove("old")}\nEND;",
                .. CreateSqliteYearTriggers(name, z, Changed(true), string.Join(", ", CountedColumns.Select(c => $"\"{c}\""))),
            ];
        }
        string PgAdd(string p) => Append("CaseStatusCountDeltas", StatusColumns, StatusKey(p), 1) + "\n"
            + Append("CaseFactCountDeltas", FactColumns, FactKey(p, false, z), 1) + "\n"
            + Append("CaseKindCountDeltas", KindColumns, KindKey(p), 1) + "\n" + PostgresBreakdown(p, 1, z);
        string PgRemove(string p) => Append("CaseStatusCountDeltas", StatusColumns, StatusKey(p), -1) + "\n"
            + Append("CaseFactCountDeltas", FactColumns, FactKey(p, false, z), -1) + "\n"
            + Append("CaseKindCountDeltas", KindColumns, KindKey(p), -1) + "\n" + PostgresBreakdown(p, -1, z);
        var function = $"\"{name}\"";
        return
        [
            PostgresLevelFunction,
            .. CreateUnitEventTriggers(false, name, z),
            $"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                IF TG_OP = 'UPDATE' OR TG_OP = 'DELETE' THEN
                    {PgRemove("OLD")}
                END IF;
                IF TG_OP = 'UPDATE' OR TG_OP = 'INSERT' THEN
                    {PgAdd("NEW")}
                END IF;
                RETURN NULL;
            END
            $body$;
            """,
            $"CREATE TRIGGER \"{name}_InsertDelete\" AFTER INSERT OR DELETE ON \"Cases\" FOR EACH ROW EXECUTE FUNCTION {function}();",
            $"CREATE TRIGGER \"{name}_Update\" AFTER UPDATE OF {string.Join(", ", CountedColumns.Select(c => $"\"{c}\""))} ON \"Cases\" "
                + $"FOR EACH ROW WHEN ({Changed(false)}) EXECUTE FUNCTION {function}();",
        ];
    }

    /// <summary>The full recount: every counter row from the cases as they stand.</summary>
    public static IReadOnlyList<string> Recount(bool sqlite, TimeZoneInfo zone)
    {
        var z = ZoneArgument(sqlite, zone);
        var facts = FactKey("\"Cases\"", sqlite, z);
        var positions = string.Join(", ", Enumerable.Range(1, FactColumnNames.Length));
        return
        [
            "DELETE FROM \"CaseStatusCountDeltas\";",
            "DELETE FROM \"CaseFactCountDeltas\";",
            "DELETE FROM \"CaseStatusCounts\";",
            $"INSERT INTO \"CaseStatusCounts\" ({StatusColumns}, \"Count\") SELECT {string.Join(", ", StatusKey("\"Cases\""))}, COUNT(*) FROM \"Cases\" GROUP BY 1, 2, 3;",
            "DELETE FROM \"CaseFactCounts\";",
            $"INSERT INTO \"CaseFactCounts\" ({FactColumns}, \"Count\") SELECT {string.Join(", ", facts)}, COUNT(*) FROM \"Cases\" GROUP BY {positions};",
            "DELETE FROM \"CaseKindCountDeltas\";",
            "DELETE FROM \"CaseKindCounts\";",
            $"INSERT INTO \"CaseKindCounts\" ({KindColumns}, \"Count\") SELECT {string.Join(", ", KindKey("\"Cases\""))}, COUNT(*) FROM \"Cases\" GROUP BY 1, 2, 3, 4;",
            .. RecountBreakdown(sqlite, z),
            .. RecountUnitEvents(sqlite, z),
        ];
    }

    /// <summary>Whether the counter triggers of this version and zone exist.</summary>
    public static async Task<bool> TriggersExistAsync(TaizhangDb db, TimeZoneInfo zone, CancellationToken ct)
    {
        var sqlite = db.Database.IsSqlite();
        var name = TriggerName(sqlite, zone) + "_Update";
        var sql = sqlite
            ? "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND name = {0}"
            : "SELECT COUNT(*)::int AS \"Value\" FROM pg_trigger WHERE tgname = {0}";
        return await db.Database.SqlQueryRaw<int>(sql, name).SingleAsync(ct) > 0;
    }

    /// <summary>
    /// Creates the triggers when missing (or made for another version or zone) and recounts, in one transaction
    /// that holds off every other writer of "Cases" (SQLite: BEGIN IMMEDIATE; PostgreSQL: a SHARE ROW EXCLUSIVE
    /// lock), so no write falls between the recount and the triggers. With <paramref name="force"/>, recounts
    /// anyway (the <c>recount-figures</c> command). Returns how long it took, or null when nothing was needed.
    /// </summary>
    public static async Task<TimeSpan?> EnsureAsync(TaizhangDb db, TimeZoneInfo zone, bool force, CancellationToken ct)
    {
        if (!force && await TriggersExistAsync(db, zone, ct))
        {
            return null;
        }
        var sqlite = db.Database.IsSqlite();
        var watch = Stopwatch.StartNew();
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (!sqlite)
            {
                await db.Database.ExecuteSqlRawAsync("LOCK TABLE \"Cases\" IN SHARE ROW EXCLUSIVE MODE;", ct);
                await db.Database.ExecuteSqlRawAsync("LOCK TABLE \"CaseEvents\" IN SHARE ROW EXCLUSIVE MODE;", ct);
                // No compaction between the recount's statements (one that started before waits here, then is seen).
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({CompactionLockKey});", ct);
            }
            var existing = sqlite
                ? await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'Cases\\_Counters\\_%' ESCAPE '\\' OR name LIKE 'CaseEvents\\_Counters\\_%' ESCAPE '\\')").ToListAsync(ct)
                // On "Cases" and on "CaseEvents" (the unit-event counters): the statement names its table.
                : await db.Database.SqlQueryRaw<string>("SELECT format('DROP TRIGGER %I ON %s;', tgname, tgrelid::regclass) AS \"Value\" FROM pg_trigger WHERE tgname LIKE 'Cases\\_Counters\\_%' OR tgname LIKE 'CaseEvents\\_Counters\\_%'").ToListAsync(ct);
            foreach (var trigger in existing)
            {
                await db.Database.ExecuteSqlRawAsync(sqlite ? $"DROP TRIGGER \"{trigger}\";" : trigger, ct);
            }
            foreach (var statement in CreateTriggers(sqlite, zone).Concat(Recount(sqlite, zone)))
            {
                await db.Database.ExecuteSqlRawAsync(statement, ct);
            }
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
        }
        return watch.Elapsed;
    }

    /// <summary>The transaction-level advisory lock that makes compactions (and the recount) run one at a time.</summary>
    public const long CompactionLockKey = 0x547A_436E_7443; // "TzCntC"

    private static string Fold(string deltas, string table, string columns) =>
        $"WITH moved AS (DELETE FROM \"{deltas}\" RETURNING {columns}, \"Count\") "
        + $"INSERT INTO \"{table}\" ({columns}, \"Count\") SELECT {columns}, SUM(\"Count\") FROM moved GROUP BY {columns} "
        + $"ON CONFLICT ({columns}) DO UPDATE SET \"Count\" = \"{table}\".\"Count\" + excluded.\"Count\";";

    /// <summary>
    /// PostgreSQL: folds the delta rows into the base counter rows and deletes the rows that fell to zero, in one
    /// transaction; returns how many base rows it changed (0 on SQLite, inside another transaction, or when another
    /// compaction is running).
    /// Correct under READ COMMITTED: the DELETE takes the deltas committed before it started (a writer's rows
    /// committed later stay for the next round; a writer never updates or deletes a delta, so none is waited on),
    /// and a reader's one statement sees either the deltas or the base rows they were folded into. Compactions run
    /// one at a time (<see cref="CompactionLockKey"/>), so base rows are only ever upserted by one transaction.
    /// </summary>
    public static async Task<int> CompactAsync(TaizhangDb db, CancellationToken ct)
    {
        if (db.Database.IsSqlite() || db.Database.CurrentTransaction is not null)
        {
            return 0;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await db.Database.SqlQueryRaw<bool>($"SELECT pg_try_advisory_xact_lock({CompactionLockKey}) AS \"Value\"").SingleAsync(ct))
        {
            return 0;
        }
        var moved = await db.Database.ExecuteSqlRawAsync(Fold("CaseStatusCountDeltas", "CaseStatusCounts", StatusColumns), ct)
            + await db.Database.ExecuteSqlRawAsync(Fold("CaseFactCountDeltas", "CaseFactCounts", FactColumns), ct)
            + await db.Database.ExecuteSqlRawAsync(Fold("CaseKindCountDeltas", "CaseKindCounts", KindColumns), ct)
            + await db.Database.ExecuteSqlRawAsync(FoldBreakdown, ct)
            + await db.Database.ExecuteSqlRawAsync(FoldUnitEvents, ct);
        if (moved > 0)
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"CaseStatusCounts\" WHERE \"Count\" = 0;", ct);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"CaseFactCounts\" WHERE \"Count\" = 0;", ct);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"CaseKindCounts\" WHERE \"Count\" = 0;", ct);
            // Every figure counts a subset of the registered cases: no case left, every column is 0.
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"CaseBreakdownCounts\" WHERE \"Registered\" = 0;", ct);
        }
        await tx.CommitAsync(ct);
        return moved;
    }

    private static long _lastManyCheck;

    /// <summary>
    /// A counter table as a read sees it: its rows, plus on PostgreSQL the deltas not yet folded in (one statement,
    /// <c>UNION ALL</c>); SQLite keeps its counters in place and has no deltas. Both sides in the same shape.
    /// </summary>
    public static IQueryable<T> WithDeltas<T>(TaizhangDb db, IQueryable<T> rows, IQueryable<T> deltas) =>
        db.Database.IsSqlite() ? rows : rows.Concat(deltas);

    /// <summary>
    /// PostgreSQL: before a read, at most once a second per process, compacts when the deltas have reached
    /// <paramref name="threshold"/> rows (the job leader is gone or behind: readers would add up ever more rows).
    /// </summary>
    public static async Task CompactIfManyAsync(TaizhangDb db, int threshold, CancellationToken ct)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastManyCheck);
        if (db.Database.IsSqlite() || threshold <= 0 || now - last < 1000 || Interlocked.CompareExchange(ref _lastManyCheck, now, last) != last)
        {
            return;
        }
        var many = await db.Database.SqlQueryRaw<int>(
            "SELECT COUNT(*)::int AS \"Value\" FROM (SELECT 1 FROM \"CaseFactCountDeltas\" LIMIT {0}) d", threshold).SingleAsync(ct);
        if (many >= threshold)
        {
            try
            {
                await CompactAsync(db, ct);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException)
            {
                // The read goes on (it adds up the deltas); the job leader's next round folds them.
            }
        }
    }
}
