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
/// </summary>
public static partial class CaseCounterSql
{
    /// <summary>Bump when a trigger's definition changes: the next start recreates them and recounts.</summary>
    public const int Version = 1;

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
        sqlite ? $"{Prefix}v{Version}_m{FixedOffsetMinutes(zone)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "x"}"
            : $"{Prefix}v{Version}_{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(zone.Id)))[..8].ToLowerInvariant()}";

    private const string StatusColumns = "\"TownId\", \"OrgUnitId\", \"Status\"";

    private const string FactColumns = "\"TownId\", \"Month\", \"Status\", \"Outcome\", \"Satisfaction\", \"OnTime\", \"Reopened\", \"FollowedUp\", "
        + "\"Returned\", \"AssignedOnce\", \"ContactedInTime\", \"ResolvedByResident\"";

    private static readonly string[] FactColumnNames = FactColumns.Split(", ");

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
    ];

    private static string Changed(bool sqlite) => string.Join(" OR ", CountedColumns.Select(c =>
        sqlite ? $"old.\"{c}\" IS NOT new.\"{c}\"" : $"OLD.\"{c}\" IS DISTINCT FROM NEW.\"{c}\""));

    private static string Upsert(string table, string columns, string[] values, bool sqlite) =>
        $"INSERT INTO \"{table}\" ({columns}, \"Count\") VALUES ({string.Join(", ", values)}, 1) "
        + $"ON CONFLICT ({columns}) DO UPDATE SET \"Count\" = {(sqlite ? "" : $"\"{table}\".")}\"Count\" + 1;";

    private static string Decrement(string table, string columns, string[] values) =>
        $"UPDATE \"{table}\" SET \"Count\" = \"Count\" - 1 WHERE "
        + string.Join(" AND ", columns.Split(", ").Zip(values, (c, v) => $"{c} = {v}")) + ";";

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

    /// <summary>The statements creating the triggers (after the old ones are dropped).</summary>
    public static IReadOnlyList<string> CreateTriggers(bool sqlite, TimeZoneInfo zone)
    {
        var name = TriggerName(sqlite, zone);
        var z = ZoneArgument(sqlite, zone);
        if (sqlite)
        {
            string Add(string p) => Upsert("CaseStatusCounts", StatusColumns, StatusKey(p), true) + "\n"
                + Upsert("CaseFactCounts", FactColumns, FactKey(p, true, z), true);
            string Remove(string p) => Decrement("CaseStatusCounts", StatusColumns, StatusKey(p)) + "\n"
                + Decrement("CaseFactCounts", FactColumns, FactKey(p, true, z));
            return
            [
                $"CREATE TRIGGER \"{name}_Insert\" AFTER INSERT ON \"Cases\" BEGIN\n{Add("new")}\nEND;",
                $"CREATE TRIGGER \"{name}_Update\" AFTER UPDATE OF {string.Join(", ", CountedColumns.Select(c => $"\"{c}\""))} ON \"Cases\" "
                    + $"WHEN {Changed(true)} BEGIN\n{Remove("old")}\n{Add("new")}\nEND;",
                $"CREATE TRIGGER \"{name}_Delete\" AFTER DELETE ON \"Cases\" BEGIN\n{Remove("old")}\nEND;",
            ];
        }
        string PgAdd(string p) => Upsert("CaseStatusCounts", StatusColumns, StatusKey(p), false) + "\n"
            + Upsert("CaseFactCounts", FactColumns, FactKey(p, false, z), false);
        string PgRemove(string p) => Decrement("CaseStatusCounts", StatusColumns, StatusKey(p)) + "\n"
            + Decrement("CaseFactCounts", FactColumns, FactKey(p, false, z));
        var function = $"\"{name}\"";
        return
        [
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
            "DELETE FROM \"CaseStatusCounts\";",
            $"INSERT INTO \"CaseStatusCounts\" ({StatusColumns}, \"Count\") SELECT {string.Join(", ", StatusKey("\"Cases\""))}, COUNT(*) FROM \"Cases\" GROUP BY 1, 2, 3;",
            "DELETE FROM \"CaseFactCounts\";",
            $"INSERT INTO \"CaseFactCounts\" ({FactColumns}, \"Count\") SELECT {string.Join(", ", facts)}, COUNT(*) FROM \"Cases\" GROUP BY {positions};",
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
            }
            var existing = sqlite
                ? await db.Database.SqlQueryRaw<string>("SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'Cases\\_Counters\\_%' ESCAPE '\\'").ToListAsync(ct)
                : await db.Database.SqlQueryRaw<string>("SELECT tgname::text AS \"Value\" FROM pg_trigger WHERE tgname LIKE 'Cases\\_Counters\\_%'").ToListAsync(ct);
            foreach (var trigger in existing)
            {
                await db.Database.ExecuteSqlRawAsync(sqlite ? $"DROP TRIGGER \"{trigger}\";" : $"DROP TRIGGER \"{trigger}\" ON \"Cases\";", ct);
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
}
