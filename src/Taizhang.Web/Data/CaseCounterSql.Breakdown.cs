using Microsoft.EntityFrameworkCore;
using System.Globalization;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;

namespace Taizhang.Web.Data;

/// <summary>
/// The breakdown counters (<see cref="CaseBreakdownCount"/>): per town, local month of registration, dimension and
/// value, one column per figure of <see cref="CaseFigures.All"/>, each <c>CASE WHEN &lt;the figure's conditions&gt;
/// THEN 1 ELSE 0 END</c> over the case's row. The SQL conditions are generated from the declarative
/// <see cref="CaseFigure"/> (<see cref="FigurePredicate"/>), so a figure and its column cannot disagree
/// (<c>CaseBreakdownTests</c> evaluates every predicate against <see cref="CaseFigure.Counts"/> on both providers).
/// </summary>
public static partial class CaseCounterSql
{
    /// <summary>
    /// The dimensions kept as rows: a registration upserts one row per dimension. Channel, urgency and track have a few
    /// values each and are kept together in one row ("kind": <c>channel|urgency|track</c>): four upserts instead of six.
    /// </summary>
    public static readonly IReadOnlyList<string> BreakdownDimensions = ["village", "assignee", "category", KindDimension];

    /// <summary>The row of channel, urgency and track together: every case is on exactly one.</summary>
    public const string KindDimension = "kind";

    private const string BreakdownKeyColumns = "\"TownId\", \"Month\", \"Dimension\", \"Value\"";

    /// <summary>A figure's column in <see cref="CaseBreakdownCount"/>: its key in PascalCase ("on-time" → "OnTime").</summary>
    public static string FigureColumn(CaseFigure figure) =>
        string.Concat(figure.Key.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static readonly string[] FigureColumns = CaseFigures.All.Select(FigureColumn).ToArray();

    private static string FigureColumnList => string.Join(", ", FigureColumns.Select(c => $"\"{c}\""));

    /// <summary>
    /// <paramref name="column"/> is one of <paramref name="values"/>, as equalities joined by OR — or, when shorter, as
    /// inequalities to the other values joined by AND (only for a column that is never NULL). Not <c>IN (…)</c>: SQLite
    /// builds an ephemeral table for an IN list each time a trigger's statement runs, which made the breakdown's upserts
    /// cost ~90 µs per registration instead of ~9 µs (docs/BENCHMARKS.md, "Breakdown counters").
    /// </summary>
    private static string OneOf<T>(string column, IReadOnlyCollection<T> values, bool notNull = false) where T : struct, Enum
    {
        var others = Enum.GetValues<T>().Except(values).ToList();
        return notNull && others.Count < values.Count
            ? (others.Count == 0 ? "1 = 1" : string.Join(" AND ", others.Select(v => $"{column} <> '{v}'")))
            : "(" + string.Join(" OR ", values.Select(v => $"{column} = '{v}'")) + ")";
    }

    /// <summary>
    /// The SQL condition under which <paramref name="figure"/> counts the case in row <paramref name="p"/> (new, old, or the
    /// table): the same conjunction as <see cref="CaseFigure.Counts"/>, over the columns PeriodFacts reads the facts from.
    /// Never NULL where it is negated (every negated part is built from non-null comparisons).
    /// </summary>
    public static string FigurePredicate(CaseFigure figure, string p, bool sqlite)
    {
        var parts = new List<string>();
        void Flag(bool? wanted, string condition)
        {
            if (wanted is { } w)
            {
                parts.Add(w ? $"({condition})" : $"NOT ({condition})");
            }
        }
        var status = $"{p}.\"Status\"";
        var handled = OneOf(status, CaseFigures.Handled.Statuses!.ToList(), notNull: true);
        Flag(figure.Reopened, $"{p}.\"ReopenCount\" > 0");
        Flag(figure.Returned, $"{p}.\"ReturnCount\" > 0");
        Flag(figure.AssignedOnce, $"{p}.\"AssigneeUnitId\" IS NOT NULL OR {p}.\"ReturnCount\" > 0");
        Flag(figure.Responded, sqlite ? $"{p}.\"ContactedInTime\" <> 0" : $"{p}.\"ContactedInTime\"");
        Flag(figure.ResolvedByResident, sqlite ? $"COALESCE({p}.\"ResolvedByResident\", 0) <> 0" : $"COALESCE({p}.\"ResolvedByResident\", FALSE)");
        if (figure.Statuses is { } statuses)
        {
            parts.Add(OneOf(status, statuses.ToList(), notNull: true));
        }
        if (figure.Outcomes is { } outcomes)
        {
            parts.Add($"{p}.\"Outcome\" IS NOT NULL AND {OneOf($"{p}.\"Outcome\"", outcomes.ToList())}");
        }
        if (figure.Satisfactions is { } satisfactions)
        {
            parts.Add($"{p}.\"Satisfaction\" IS NOT NULL AND {OneOf($"{p}.\"Satisfaction\"", satisfactions.ToList())}");
        }
        if (figure.OnTime is { } onTime)
        {
            parts.Add($"{handled}");
            Flag(onTime, $"{p}.\"ResolvedAt\" IS NOT NULL AND {p}.\"ResolvedAt\" < {p}.\"DueAt\"");
        }
        Flag(figure.ResolvedOnce, $"{p}.\"ReopenCount\" > 0 OR {handled}");
        Flag(figure.FollowedUp, $"{p}.\"FollowUpCount\" > 0");
        return parts.Count == 0 ? (sqlite ? "1 = 1" : "TRUE") : string.Join(" AND ", parts.Select(x => $"({x})"));
    }

    /// <summary>1 when the figure counts the case of row <paramref name="p"/>, else 0.</summary>
    private static string FigureValue(CaseFigure figure, string p, bool sqlite) => $"CASE WHEN {FigurePredicate(figure, p, sqlite)} THEN 1 ELSE 0 END";

    /// <summary>The raw value of a breakdown dimension (ids as text, "" for none; see <see cref="BreakdownDimensions"/>).</summary>
    private static string DimensionValue(string dimension, string p, bool sqlite)
    {
        string Text(string column) => sqlite ? $"CAST({p}.\"{column}\" AS TEXT)" : $"{p}.\"{column}\"::text";
        return dimension switch
        {
            "village" => Text("OrgUnitId"),
            "assignee" => $"COALESCE({Text("AssigneeUnitId")}, '')",
            "category" => $"COALESCE({Text("CategoryId")}, '')",
            "kind" => $"{p}.\"Channel\" || '|' || {p}.\"Urgency\" || '|' || COALESCE({p}.\"Track\", '')",
            _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
        };
    }

    private static string[] BreakdownKey(string dimension, string p, bool sqlite, string zoneOrOffset) =>
        [$"{p}.\"TownId\"", FactKey(p, sqlite, zoneOrOffset)[1], $"'{dimension}'", DimensionValue(dimension, p, sqlite)];

    /// <summary>Adds (sign 1) or removes (-1) the case of row <paramref name="p"/> in each dimension's row (SQLite: upserts in place).</summary>
    private static string SqliteBreakdown(string p, int sign, string z) => string.Join("\n", BreakdownDimensions.Select(d =>
    {
        var key = BreakdownKey(d, p, true, z);
        var values = CaseFigures.All.Select(f => FigureValue(f, p, true)).ToList();
        if (sign > 0)
        {
            return $"INSERT INTO \"CaseBreakdownCounts\" ({BreakdownKeyColumns}, {FigureColumnList}) VALUES ({string.Join(", ", key)}, {string.Join(", ", values)}) "
                + $"ON CONFLICT ({BreakdownKeyColumns}) DO UPDATE SET "
                + string.Join(", ", FigureColumns.Select(c => $"\"{c}\" = \"{c}\" + excluded.\"{c}\"")) + ";";
        }
        return "UPDATE \"CaseBreakdownCounts\" SET " + string.Join(", ", FigureColumns.Zip(values, (c, v) => $"\"{c}\" = \"{c}\" - ({v})"))
            + " WHERE " + string.Join(" AND ", BreakdownKeyColumns.Split(", ").Zip(key, (c, v) => $"{c} = {v}")) + ";";
    }));

    /// <summary>PostgreSQL: appends one delta row per dimension (+1 / -1 per figure the case counts for).</summary>
    private static string PostgresBreakdown(string p, int sign, string z) => string.Join("\n", BreakdownDimensions.Select(d =>
        $"INSERT INTO \"CaseBreakdownCountDeltas\" ({BreakdownKeyColumns}, {FigureColumnList}) VALUES ("
        + string.Join(", ", BreakdownKey(d, p, false, z)) + ", "
        + string.Join(", ", CaseFigures.All.Select(f => sign > 0 ? FigureValue(f, p, false) : $"-({FigureValue(f, p, false)})")) + ");"));

    /// <summary>
    /// SQLite: the year roll-up of the breakdown (<see cref="YearTable"/>): per town, year, dimension and value, the sum of
    /// the month rows of every month up to <see cref="YearMark"/>'s "ThroughMonth" (the months before the running one, once
    /// <see cref="AbsorbYearsAsync"/> has folded them in). A county's running year was ~72,000 month rows to add up (40 towns
    /// × 12 months); with the roll-up it is one row per town and value plus the running month's. Kept by triggers of their
    /// own that fire only for a case registered in a month already folded in (their WHEN): a registration (the running
    /// month) pays one comparison; a change to an older case also moves its year row. Derived data, outside the EF model:
    /// a recount empties it and the next <see cref="AbsorbYearsAsync"/> builds it again. PostgreSQL reads the month rows.
    /// </summary>
    private const string YearTable = "CaseBreakdownYears";

    /// <summary>One row (Id 1): the last month folded into <see cref="YearTable"/>; no row: nothing folded in yet.</summary>
    private const string YearMark = "CaseBreakdownYearMark";

    private const string YearKeyColumns = "\"TownId\", \"Year\", \"Dimension\", \"Value\"";

    private static string ThroughMonth => $"(SELECT \"ThroughMonth\" FROM \"{YearMark}\" WHERE \"Id\" = 1)";

    private static IEnumerable<string> CreateSqliteYearTables() =>
    [
        $"CREATE TABLE IF NOT EXISTS \"{YearTable}\" (\"TownId\" INTEGER NOT NULL, \"Year\" INTEGER NOT NULL, \"Dimension\" TEXT NOT NULL, "
            + "\"Value\" TEXT NOT NULL, " + string.Join(", ", FigureColumns.Select(c => $"\"{c}\" INTEGER NOT NULL"))
            + $", PRIMARY KEY ({YearKeyColumns})) WITHOUT ROWID;",
        $"CREATE TABLE IF NOT EXISTS \"{YearMark}\" (\"Id\" INTEGER NOT NULL PRIMARY KEY CHECK (\"Id\" = 1), \"ThroughMonth\" INTEGER NOT NULL);",
    ];

    /// <summary>The month (yyyymm) of the case of row <paramref name="p"/> has been folded into the year roll-up.</summary>
    private static string InFoldedMonth(string p, string z) => $"{FactKey(p, true, z)[1]} <= {ThroughMonth}";

    /// <summary>Adds (1) or removes (-1) the case of row <paramref name="p"/> in its year rows, when its month is folded in.</summary>
    private static string SqliteYearBreakdown(string p, int sign, string z) => string.Join("\n", BreakdownDimensions.Select(d =>
    {
        string[] key = [$"{p}.\"TownId\"", $"{FactKey(p, true, z)[1]} / 100", $"'{d}'", DimensionValue(d, p, true)];
        var values = CaseFigures.All.Select(f => FigureValue(f, p, true)).ToList();
        if (sign > 0)
        {
            return $"INSERT INTO \"{YearTable}\" ({YearKeyColumns}, {FigureColumnList}) SELECT {string.Join(", ", key)}, {string.Join(", ", values)} "
                + $"WHERE {InFoldedMonth(p, z)} ON CONFLICT ({YearKeyColumns}) DO UPDATE SET "
                + string.Join(", ", FigureColumns.Select(c => $"\"{c}\" = \"{c}\" + excluded.\"{c}\"")) + ";";
        }
        return $"UPDATE \"{YearTable}\" SET " + string.Join(", ", FigureColumns.Zip(values, (c, v) => $"\"{c}\" = \"{c}\" - ({v})"))
            + " WHERE " + string.Join(" AND ", YearKeyColumns.Split(", ").Zip(key, (c, v) => $"{c} = {v}")) + $" AND {InFoldedMonth(p, z)};";
    }));

    /// <summary>SQLite: the year roll-up's tables and triggers (named <paramref name="name"/>_Year…: dropped and made again with the others).</summary>
    private static IEnumerable<string> CreateSqliteYearTriggers(string name, string z, string changed, string updateOf) =>
    [
        .. CreateSqliteYearTables(),
        $"CREATE TRIGGER \"{name}_YearInsert\" AFTER INSERT ON \"Cases\" WHEN {InFoldedMonth("new", z)} BEGIN\n{SqliteYearBreakdown("new", 1, z)}\nEND;",
        $"CREATE TRIGGER \"{name}_YearUpdate\" AFTER UPDATE OF {updateOf} ON \"Cases\" WHEN ({changed}) AND ({InFoldedMonth("old", z)} OR {InFoldedMonth("new", z)}) "
            + $"BEGIN\n{SqliteYearBreakdown("old", -1, z)}\n{SqliteYearBreakdown("new", 1, z)}\nEND;",
        $"CREATE TRIGGER \"{name}_YearDelete\" AFTER DELETE ON \"Cases\" WHEN {InFoldedMonth("old", z)} BEGIN\n{SqliteYearBreakdown("old", -1, z)}\nEND;",
    ];

    /// <summary>
    /// SQLite: folds every month up to <paramref name="throughMonth"/> (yyyymm; the month before the running one) not yet in
    /// the year roll-up into it, and moves its mark, in one write transaction (the triggers cannot run in between: SQLite has
    /// one writer). Returns the roll-up rows added or changed (0 when it was up to date, and on PostgreSQL). The closed-period warm-up calls
    /// it at start and every hour; readers never wait for it (<see cref="SumBreakdown"/> reads the months not folded in).
    /// </summary>
    public static async Task<int> AbsorbYearsAsync(TaizhangDb db, int throughMonth, CancellationToken ct)
    {
        if (!db.Database.IsSqlite())
        {
            return 0;
        }
        var readMark = $"SELECT COALESCE({ThroughMonth}, 0) AS \"Value\"";
        var mark = await db.Database.SqlQueryRaw<int>(readMark).SingleAsync(ct);
        if (mark >= throughMonth)
        {
            return 0;
        }
        var through = throughMonth.ToString(CultureInfo.InvariantCulture);
        // Every value inlined is a number (no injection).
        string[] statements =
        [
            $"INSERT INTO \"{YearTable}\" ({YearKeyColumns}, {FigureColumnList}) SELECT \"TownId\", \"Month\" / 100, \"Dimension\", \"Value\", "
                + string.Join(", ", FigureColumns.Select(c => $"SUM(\"{c}\")"))
                + $" FROM \"CaseBreakdownCounts\" WHERE \"Month\" > COALESCE({ThroughMonth}, 0) AND \"Month\" <= {through} GROUP BY 1, 2, 3, 4 "
                + $"ON CONFLICT ({YearKeyColumns}) DO UPDATE SET " + string.Join(", ", FigureColumns.Select(c => $"\"{c}\" = \"{c}\" + excluded.\"{c}\"")) + ";",
            $"DELETE FROM \"{YearTable}\" WHERE \"Registered\" = 0;",
            $"INSERT INTO \"{YearMark}\" (\"Id\", \"ThroughMonth\") VALUES (1, {through}) "
                + "ON CONFLICT (\"Id\") DO UPDATE SET \"ThroughMonth\" = MAX(\"ThroughMonth\", excluded.\"ThroughMonth\");",
        ];
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Database.ExecuteSqlRawAsync(statements[0], ct);
        foreach (var statement in statements.Skip(1))
        {
            await db.Database.ExecuteSqlRawAsync(statement, ct);
        }
        await tx.CommitAsync(ct);
        return changed;
    }

    /// <summary>The breakdown rows recounted from the cases (one statement per dimension).</summary>
    private static IEnumerable<string> RecountBreakdown(bool sqlite, string z)
    {
        if (sqlite)
        {
            // Folded in again from the recounted month rows by the next AbsorbYearsAsync.
            yield return $"DELETE FROM \"{YearTable}\";";
            yield return $"DELETE FROM \"{YearMark}\";";
        }
        yield return "DELETE FROM \"CaseBreakdownCountDeltas\";";
        yield return "DELETE FROM \"CaseBreakdownCounts\";";
        foreach (var d in BreakdownDimensions)
        {
            var key = BreakdownKey(d, "\"Cases\"", sqlite, z);
            yield return $"INSERT INTO \"CaseBreakdownCounts\" ({BreakdownKeyColumns}, {FigureColumnList}) SELECT {string.Join(", ", key)}, "
                + string.Join(", ", CaseFigures.All.Select(f => $"SUM({FigureValue(f, "\"Cases\"", sqlite)})"))
                + " FROM \"Cases\" GROUP BY 1, 2, 4;";
        }
    }

    private static string FoldBreakdown =>
        $"WITH moved AS (DELETE FROM \"CaseBreakdownCountDeltas\" RETURNING {BreakdownKeyColumns}, {FigureColumnList}) "
        + $"INSERT INTO \"CaseBreakdownCounts\" ({BreakdownKeyColumns}, {FigureColumnList}) SELECT {BreakdownKeyColumns}, "
        + string.Join(", ", FigureColumns.Select(c => $"SUM(\"{c}\")")) + $" FROM moved GROUP BY {BreakdownKeyColumns} "
        + $"ON CONFLICT ({BreakdownKeyColumns}) DO UPDATE SET "
        + string.Join(", ", FigureColumns.Select(c => $"\"{c}\" = \"CaseBreakdownCounts\".\"{c}\" + excluded.\"{c}\"")) + ";";

    /// <summary>
    /// The summed breakdown of <paramref name="towns"/> for the months <paramref name="fromMonth"/>..<paramref name="toMonth"/>
    /// (yyyymm): per dimension and raw value, the figures in <see cref="CaseFigures.All"/>'s order. PostgreSQL adds the
    /// deltas not yet folded in, in the same statement. Every value inlined is a number (no injection). (Summed here, not by
    /// the reader: Microsoft.Data.Sqlite reads a value in about 0.25 µs, and a county's year is 12,000 rows of sixteen.)
    /// </summary>
    public static string SumBreakdown(bool sqlite, IReadOnlyCollection<long> towns, int fromMonth, int toMonth)
    {
        var where = $"\"TownId\" IN ({string.Join(", ", towns.Select(t => t.ToString(CultureInfo.InvariantCulture)))}) "
            + $"AND \"Month\" >= {fromMonth.ToString(CultureInfo.InvariantCulture)} AND \"Month\" <= {toMonth.ToString(CultureInfo.InvariantCulture)}";
        var columns = $"\"Dimension\", \"Value\", {FigureColumnList}";
        string source;
        if (sqlite && fromMonth % 100 == 1 && fromMonth / 100 == toMonth / 100)
        {
            // From January, within one year: the year roll-up holds January up to its mark (M). It serves when the period reaches the mark
            // (or the year's end): the roll-up's rows plus the month rows after M. The mark is read in the same statement
            // (one snapshot), so a fold committed meanwhile is seen on both sides or on neither.
            var m = $"COALESCE({ThroughMonth}, 0)";
            var to = toMonth.ToString(CultureInfo.InvariantCulture);
            var use = $"({m} >= {fromMonth.ToString(CultureInfo.InvariantCulture)} AND ({m} <= {to}{(toMonth % 100 == 12 ? " OR 1 = 1" : "")}))";
            var townList = string.Join(", ", towns.Select(t => t.ToString(CultureInfo.InvariantCulture)));
            source = $"SELECT {columns} FROM \"{YearTable}\" WHERE \"TownId\" IN ({townList}) AND \"Year\" = {(fromMonth / 100).ToString(CultureInfo.InvariantCulture)} AND {use} "
                // The months after M as the lower bound of the key's range (not a filter: the rows folded in are not even read). The
                // only lower bound: beside "Month" >= January SQLite took January for the range and tested the CASE on every month's
                // row of the year (a county's year: 55,000 rows, 17 ms, for the 4,600 it kept).
                + $"UNION ALL SELECT {columns} FROM \"CaseBreakdownCounts\" WHERE \"TownId\" IN ({townList}) AND \"Month\" <= {to} "
                + $"AND \"Month\" >= (CASE WHEN {use} THEN {m} + 1 ELSE {fromMonth.ToString(CultureInfo.InvariantCulture)} END)";
        }
        else
        {
            source = sqlite
                ? $"SELECT {columns} FROM \"CaseBreakdownCounts\" WHERE {where}"
                : $"SELECT {columns} FROM \"CaseBreakdownCounts\" WHERE {where} UNION ALL SELECT {columns} FROM \"CaseBreakdownCountDeltas\" WHERE {where}";
        }
        return $"SELECT \"Dimension\", \"Value\", " + string.Join(", ", FigureColumns.Select(c => $"SUM(\"{c}\")"))
            + $" FROM ({source}) b GROUP BY \"Dimension\", \"Value\"";
    }

    /// <summary>The figures' columns in order (for tests and readers).</summary>
    public static IReadOnlyList<string> FigureColumnNames => FigureColumns;
}
