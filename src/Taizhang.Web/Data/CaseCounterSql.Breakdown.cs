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
    public static readonly IReadOnlyList<string> BreakdownDimensions = ["village", "assignee", "category", "kind"];

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

    /// <summary>The breakdown rows recounted from the cases (one statement per dimension).</summary>
    private static IEnumerable<string> RecountBreakdown(bool sqlite, string z)
    {
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
    /// deltas not yet folded in, in the same statement. Every value inlined is a number (no injection).
    /// </summary>
    public static string SumBreakdown(bool sqlite, IReadOnlyCollection<long> towns, int fromMonth, int toMonth)
    {
        var where = $"\"TownId\" IN ({string.Join(", ", towns.Select(t => t.ToString(CultureInfo.InvariantCulture)))}) "
            + $"AND \"Month\" >= {fromMonth.ToString(CultureInfo.InvariantCulture)} AND \"Month\" <= {toMonth.ToString(CultureInfo.InvariantCulture)}";
        var columns = $"\"Dimension\", \"Value\", {FigureColumnList}";
        var source = sqlite
            ? $"SELECT {columns} FROM \"CaseBreakdownCounts\" WHERE {where}"
            : $"SELECT {columns} FROM \"CaseBreakdownCounts\" WHERE {where} UNION ALL SELECT {columns} FROM \"CaseBreakdownCountDeltas\" WHERE {where}";
        return $"SELECT \"Dimension\", \"Value\", " + string.Join(", ", FigureColumns.Select(c => $"SUM(\"{c}\")"))
            + $" FROM ({source}) b GROUP BY \"Dimension\", \"Value\"";
    }

    /// <summary>The figures' columns in order (for tests and readers).</summary>
    public static IReadOnlyList<string> FigureColumnNames => FigureColumns;
}
