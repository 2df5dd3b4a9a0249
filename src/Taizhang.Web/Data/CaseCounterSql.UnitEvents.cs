using System.Globalization;

namespace Taizhang.Web.Data;

/// <summary>
/// The unit-event counters (<see cref="CaseUnitEventCount"/>) of the rankings: per town, local month of the case's
/// registration, unit and kind, what <c>PeriodFacts.UnitEventsAsync</c> counts by joining a cohort with its events —
/// the cases given to the unit at least once ("assigned": the first 交办/转办 of a case to it), its 退回 ("returns"),
/// the 催办 ("reminders"), 通报 ("notices") and 督办 by level ("supervision-Yellow", …) its cases received. Kept by a
/// trigger on "CaseEvents" (append-only: an event is never changed or deleted by the app) in the writer's transaction:
/// SQLite upserts in place, PostgreSQL appends delta rows folded by <see cref="CompactAsync"/>. A registration's
/// events are not among the actions, so intake pays only the trigger's WHEN.
/// </summary>
public static partial class CaseCounterSql
{
    private static readonly string[] UnitActions = ["Assign", "Transfer", "Return", "Remind", "Notify", "Supervise"];

    private static readonly string[] SupervisionLevels = Enum.GetNames<Domain.Cases.SupervisionLevel>();

    private const string UnitEventColumns = "\"TownId\", \"Month\", \"UnitId\", \"Kind\"";

    /// <summary><paramref name="column"/> equals one of <paramref name="values"/>: ORed equalities, not IN (see <see cref="OneOf"/>).</summary>
    private static string AnyOf(string column, IEnumerable<string> values) => "(" + string.Join(" OR ", values.Select(v => $"{column} = '{v}'")) + ")";

    /// <summary>The counter's kind of event <paramref name="e"/> (its level read by <paramref name="level"/>), NULL when not counted.</summary>
    private static string UnitEventKind(string e, string level) =>
        $"CASE {e}.\"Action\" WHEN 'Return' THEN 'returns' WHEN 'Remind' THEN 'reminders' WHEN 'Notify' THEN 'notices' "
        + $"WHEN 'Supervise' THEN CASE WHEN {AnyOf(level, SupervisionLevels)} THEN 'supervision-' || {level} END "
        + $"WHEN 'Assign' THEN 'assigned' WHEN 'Transfer' THEN 'assigned' END";

    private static string SqliteLevel(string e) =>
        $"(CASE WHEN json_valid({e}.\"Payload\") THEN json_extract({e}.\"Payload\", '$.level') END)";

    /// <summary>An Assign or Transfer that is not the case's first to this unit is not counted again (a case is given once).</summary>
    private static string FirstToUnit(string e) =>
        $"(({e}.\"Action\" <> 'Assign' AND {e}.\"Action\" <> 'Transfer') OR NOT EXISTS (SELECT 1 FROM \"CaseEvents\" x WHERE x.\"CaseId\" = {e}.\"CaseId\" "
        + $"AND x.\"Sequence\" < {e}.\"Sequence\" AND x.\"UnitId\" = {e}.\"UnitId\" AND x.\"Action\" IN ('Assign', 'Transfer')))";

    /// <summary>
    /// The prefix of the trigger on "CaseEvents" (not <see cref="Prefix"/>: older migrations' Down drop every trigger named
    /// with that prefix as if on "Cases").
    /// </summary>
    public const string EventsPrefix = "CaseEvents_Counters_";

    /// <summary>The "CaseEvents" trigger's name (and its PostgreSQL function's) for this version and zone.</summary>
    public static string EventsTriggerName(bool sqlite, TimeZoneInfo zone) => EventsPrefix + TriggerName(sqlite, zone)[Prefix.Length..];

    private static IReadOnlyList<string> CreateUnitEventTriggers(bool sqlite, string name, string z)
    {
        name = EventsPrefix + name[Prefix.Length..];
        var when = $"\"UnitId\" IS NOT NULL AND {AnyOf("\"Action\"", UnitActions)}";
        if (sqlite)
        {
            return
            [
                $"CREATE TRIGGER \"{name}\" AFTER INSERT ON \"CaseEvents\" WHEN new.{when.Replace("\"Action\"", "new.\"Action\"", StringComparison.Ordinal)} BEGIN\n"
                + $"INSERT INTO \"CaseUnitEventCounts\" ({UnitEventColumns}, \"Count\") "
                + $"SELECT c.\"TownId\", {FactKey("c", true, z)[1]}, new.\"UnitId\", k.kind, 1 FROM \"Cases\" c, "
                + $"(SELECT {UnitEventKind("new", SqliteLevel("new"))} AS kind) k "
                + $"WHERE c.\"Id\" = new.\"CaseId\" AND k.kind IS NOT NULL AND {FirstToUnit("new")} "
                + $"ON CONFLICT ({UnitEventColumns}) DO UPDATE SET \"Count\" = \"Count\" + 1;\nEND;",
            ];
        }
        var function = $"\"{name}\"";
        return
        [
            $"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $body$
            DECLARE sup_level text;
            BEGIN
                IF NEW."Action" = 'Supervise' THEN
                    BEGIN
                        sup_level := NEW."Payload"::jsonb ->> 'level';
                    EXCEPTION WHEN others THEN
                        sup_level := NULL;
                    END;
                END IF;
                INSERT INTO "CaseUnitEventCountDeltas" ({UnitEventColumns}, "Count")
                SELECT c."TownId", {FactKey("c", false, z)[1]}, NEW."UnitId", k.kind, 1 FROM "Cases" c,
                    (SELECT {UnitEventKind("NEW", "sup_level")} AS kind) k
                WHERE c."Id" = NEW."CaseId" AND c."TownId" = NEW."TownId" AND k.kind IS NOT NULL AND {FirstToUnit("NEW")};
                RETURN NULL;
            END
            $body$;
            """,
            $"CREATE TRIGGER \"{name}\" AFTER INSERT ON \"CaseEvents\" FOR EACH ROW WHEN (NEW.{when.Replace("\"Action\"", "NEW.\"Action\"", StringComparison.Ordinal)}) "
                + $"EXECUTE FUNCTION {function}();",
        ];
    }

    /// <summary>The unit-event counters recounted from the events and their cases.</summary>
    private static IEnumerable<string> RecountUnitEvents(bool sqlite, string z)
    {
        yield return "DELETE FROM \"CaseUnitEventCountDeltas\";";
        yield return "DELETE FROM \"CaseUnitEventCounts\";";
        var level = sqlite ? SqliteLevel("e") : "(CASE WHEN e.\"Action\" = 'Supervise' THEN \"Cases_Counters_Level\"(e.\"Payload\") END)";
        var month = FactKey("c", sqlite, z)[1];
        yield return $"INSERT INTO \"CaseUnitEventCounts\" ({UnitEventColumns}, \"Count\") "
            + $"SELECT \"TownId\", \"Month\", \"UnitId\", kind, COUNT(*) FROM (SELECT c.\"TownId\" AS \"TownId\", {month} AS \"Month\", e.\"UnitId\" AS \"UnitId\", "
            + $"{UnitEventKind("e", level)} AS kind FROM \"CaseEvents\" e JOIN \"Cases\" c ON c.\"Id\" = e.\"CaseId\" "
            + $"WHERE e.\"UnitId\" IS NOT NULL AND e.\"Action\" IN ('Return', 'Remind', 'Notify', 'Supervise')) t WHERE kind IS NOT NULL GROUP BY 1, 2, 3, 4;";
        yield return $"INSERT INTO \"CaseUnitEventCounts\" ({UnitEventColumns}, \"Count\") "
            + $"SELECT c.\"TownId\", {month}, e.\"UnitId\", 'assigned', COUNT(DISTINCT e.\"CaseId\") FROM \"CaseEvents\" e JOIN \"Cases\" c ON c.\"Id\" = e.\"CaseId\" "
            + "WHERE e.\"UnitId\" IS NOT NULL AND e.\"Action\" IN ('Assign', 'Transfer') GROUP BY 1, 2, 3;";
    }

    /// <summary>PostgreSQL: a payload's level for the recount (NULL when the payload is not JSON), like the trigger's.</summary>
    private const string PostgresLevelFunction = """
        CREATE OR REPLACE FUNCTION "Cases_Counters_Level"(payload text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $body$
        BEGIN
            RETURN payload::jsonb ->> 'level';
        EXCEPTION WHEN others THEN
            RETURN NULL;
        END
        $body$;
        """;

    private static string FoldUnitEvents => Fold("CaseUnitEventCountDeltas", "CaseUnitEventCounts", UnitEventColumns);

    /// <summary>
    /// The summed unit-event counters of <paramref name="towns"/> for the months <paramref name="fromMonth"/>..<paramref name="toMonth"/>:
    /// (unit, kind, count); PostgreSQL adds the deltas not yet folded in. Every value inlined is a number.
    /// </summary>
    public static string SumUnitEvents(bool sqlite, IReadOnlyCollection<long> towns, int fromMonth, int toMonth)
    {
        var where = $"\"TownId\" IN ({string.Join(", ", towns.Select(t => t.ToString(CultureInfo.InvariantCulture)))}) "
            + $"AND \"Month\" >= {fromMonth.ToString(CultureInfo.InvariantCulture)} AND \"Month\" <= {toMonth.ToString(CultureInfo.InvariantCulture)}";
        var source = sqlite
            ? $"SELECT \"UnitId\", \"Kind\", \"Count\" FROM \"CaseUnitEventCounts\" WHERE {where}"
            : $"SELECT \"UnitId\", \"Kind\", \"Count\" FROM \"CaseUnitEventCounts\" WHERE {where} "
                + $"UNION ALL SELECT \"UnitId\", \"Kind\", \"Count\" FROM \"CaseUnitEventCountDeltas\" WHERE {where}";
        return $"SELECT \"UnitId\", \"Kind\", SUM(\"Count\") FROM ({source}) u GROUP BY \"UnitId\", \"Kind\"";
    }
}
