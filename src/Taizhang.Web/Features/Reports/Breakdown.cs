using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// A cohort's figures per breakdown dimension (<see cref="ReportData.Dimensions"/>) and raw value: the unit registered
/// at (its id: a group is mapped to its village when the table is built), the assignee's id, the channel, the
/// category's id, the urgency, the track (enum names; "" for none). Built from a cohort's grouped rows (the old path),
/// from the breakdown counters (a running period, <see cref="Data.CaseBreakdownCount"/>) or from each town's persisted
/// closed period (<see cref="ClosedPeriodDetails"/>): the tables, the rankings' cases and the links are the same
/// whichever it came from.
/// </summary>
public sealed class Breakdown
{
    private readonly Dictionary<string, Dictionary<string, FigureCounts>> _values = ReportData.Dimensions.ToDictionary(d => d, _ => new Dictionary<string, FigureCounts>());

    /// <summary>A dimension's values and their figures.</summary>
    public IReadOnlyDictionary<string, FigureCounts> this[string dimension] => _values[dimension];

    public void Add(string dimension, string value, FigureCounts figures)
    {
        var values = _values[dimension];
        values[value] = values.TryGetValue(value, out var sum) ? sum.Plus(figures) : figures;
    }

    public Breakdown Plus(Breakdown other)
    {
        var result = new Breakdown();
        foreach (var b in new[] { this, other })
        {
            foreach (var (dimension, values) in b._values)
            {
                foreach (var (value, figures) in values)
                {
                    result.Add(dimension, value, figures);
                }
            }
        }
        return result;
    }

    /// <summary>The raw value of <paramref name="row"/> in <paramref name="dimension"/>.</summary>
    public static string ValueOf(string dimension, FactRow row) => dimension switch
    {
        "village" => row.OrgUnitId.ToString(CultureInfo.InvariantCulture),
        "assignee" => row.AssigneeUnitId?.ToString(CultureInfo.InvariantCulture) ?? "",
        "channel" => row.Channel.ToString(),
        "category" => row.CategoryId?.ToString(CultureInfo.InvariantCulture) ?? "",
        "urgency" => row.Urgency.ToString(),
        "track" => row.Track?.ToString() ?? "",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
    };

    /// <summary>From a cohort's grouped rows (the old path).</summary>
    public static Breakdown Of(IEnumerable<FactRow> rows)
    {
        var result = new Breakdown();
        foreach (var group in rows.GroupBy(r => r with { Count = 0 }))
        {
            var figures = FigureCounts.Of(group.Select(r => (r.Facts, r.Count)));
            foreach (var dimension in ReportData.Dimensions)
            {
                result.Add(dimension, ValueOf(dimension, group.Key), figures);
            }
        }
        return result;
    }

    /// <summary>
    /// Adds a row of the breakdown counters (<see cref="Data.CaseCounterSql.BreakdownDimensions"/>): the "kind" row's value is
    /// "channel|urgency|track" and counts for each of the three.
    /// </summary>
    public void AddCounted(string dimension, string value, FigureCounts figures)
    {
        if (dimension == Data.CaseCounterSql.KindDimension)
        {
            var parts = value.Split('|');
            Add("channel", parts[0], figures);
            Add("urgency", parts[1], figures);
            Add("track", parts.Length > 2 ? parts[2] : "", figures);
        }
        else
        {
            Add(dimension, value, figures);
        }
    }

    /// <summary>Values no case counts for (a counter row that fell to 0) left out.</summary>
    public Breakdown WithoutEmpty()
    {
        var result = new Breakdown();
        foreach (var (dimension, values) in _values)
        {
            foreach (var (value, figures) in values.Where(v => v.Value[CaseFigures.Registered] != 0))
            {
                result.Add(dimension, value, figures);
            }
        }
        return result;
    }

    /// <summary>As JSON: the figures' keys once, then per dimension and value the counts in that order.</summary>
    public JsonObject ToJson()
    {
        var dims = new JsonObject();
        foreach (var (dimension, values) in _values)
        {
            var d = new JsonObject();
            foreach (var (value, figures) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                d[value] = new JsonArray(figures.ToArray().Select(c => (JsonNode)c).ToArray());
            }
            dims[dimension] = d;
        }
        return new JsonObject { ["keys"] = new JsonArray(CaseFigures.All.Select(f => (JsonNode)f.Key).ToArray()), ["values"] = dims };
    }

    public static Breakdown FromJson(JsonNode node)
    {
        var keys = node["keys"]!.AsArray().Select(k => k!.GetValue<string>()).ToList();
        var result = new Breakdown();
        foreach (var (dimension, values) in node["values"]!.AsObject())
        {
            foreach (var (value, counts) in values!.AsObject())
            {
                var array = counts!.AsArray();
                result.Add(dimension, value, FigureCounts.FromDictionary(keys.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => array[x.i]!.GetValue<int>())));
            }
        }
        return result;
    }
}

/// <summary>A list of the monthly report as of a period's end: how many cases, and the first <see cref="ReportLists.Limit"/> (newest first).</summary>
public sealed record CaseListHead(int Total, IReadOnlyList<(long Id, DateTime RegisteredAt)> First)
{
    public static readonly CaseListHead Empty = new(0, []);

    public CaseListHead Plus(CaseListHead other) => new(Total + other.Total, ClosedPeriodDetails.Newest(First.Concat(other.First)));

    public static CaseListHead Of(IReadOnlyCollection<(long Id, DateTime RegisteredAt)> cases) => new(cases.Count, ClosedPeriodDetails.Newest(cases));
}

/// <summary>
/// One town's closed period beyond its headline figures, as of the period's end, persisted next to them
/// (<see cref="Data.ClosedPeriodFigures.Details"/>), so a county's closed period is its towns' rows added up: the
/// breakdown, the per-unit events of the rankings and the monthly report's lists as of then (<see cref="ReportLists.Then"/>:
/// overdue, suspended, supervised), each its total and first <see cref="ReportLists.Limit"/> cases. Computed by the same
/// replay as the figures (<see cref="PeriodFacts"/>).
/// </summary>
public sealed record ClosedPeriodDetails(Breakdown Breakdown, IReadOnlyList<PeriodFacts.UnitEvents> Units,
    IReadOnlyDictionary<string, CaseListHead> Lists)
{
    /// <summary>Bump when the JSON's meaning changes: older rows are computed again when next asked.</summary>
    public const int Version = 3;

    public ClosedPeriodDetails Plus(ClosedPeriodDetails other) => new(
        Breakdown.Plus(other.Breakdown),
        Units.Concat(other.Units).GroupBy(u => u.UnitId).Select(g => new PeriodFacts.UnitEvents(g.Key, g.Sum(u => u.Assigned), g.Sum(u => u.Returns),
            g.Sum(u => u.Reminders), g.Sum(u => u.Notices),
            g.SelectMany(u => u.Supervisions).GroupBy(s => s.Key).ToDictionary(s => s.Key, s => s.Sum(x => x.Value)))).ToList(),
        ReportLists.Then.ToDictionary(l => l.Key, l => List(l.Key).Plus(other.List(l.Key))));

    /// <summary>The list <paramref name="key"/> (of <see cref="ReportLists.Then"/>); empty when none was kept.</summary>
    public CaseListHead List(string key) => Lists.GetValueOrDefault(key) ?? CaseListHead.Empty;

    public static readonly ClosedPeriodDetails Empty = new(new Breakdown(), [], new Dictionary<string, CaseListHead>());

    /// <summary>The newest first (registration time, then id), at most <see cref="ReportLists.Limit"/>: as the old path lists them.</summary>
    public static IReadOnlyList<(long Id, DateTime RegisteredAt)> Newest(IEnumerable<(long Id, DateTime RegisteredAt)> cases) =>
        cases.OrderByDescending(c => c.RegisteredAt).ThenByDescending(c => c.Id).Take(ReportLists.Limit).ToList();

    public string ToJson() => new JsonObject
    {
        ["v"] = Version,
        ["breakdown"] = Breakdown.ToJson(),
        ["units"] = new JsonArray(Units.OrderBy(u => u.UnitId).Select(u => (JsonNode)new JsonObject
        {
            ["unit"] = u.UnitId, ["assigned"] = u.Assigned, ["returns"] = u.Returns, ["reminders"] = u.Reminders, ["notices"] = u.Notices,
            ["supervisions"] = new JsonObject(u.Supervisions.OrderBy(s => s.Key).Select(s => KeyValuePair.Create(s.Key.ToString(), (JsonNode?)s.Value))),
        }).ToArray()),
        ["lists"] = new JsonObject(ReportLists.Then.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)new JsonObject
        {
            ["total"] = List(l.Key).Total,
            ["first"] = new JsonArray(List(l.Key).First.Select(c => (JsonNode)new JsonArray(c.Id, c.RegisteredAt.Ticks)).ToArray()),
        }))),
    }.ToJsonString();

    /// <summary>The details in <paramref name="json"/>, or null when absent or of another version (computed again).</summary>
    public static ClosedPeriodDetails? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            var node = JsonNode.Parse(json)!;
            if (node["v"]?.GetValue<int>() != Version)
            {
                return null;
            }
            var units = node["units"]!.AsArray().Select(u => new PeriodFacts.UnitEvents(u!["unit"]!.GetValue<long>(), u["assigned"]!.GetValue<int>(),
                u["returns"]!.GetValue<int>(), u["reminders"]!.GetValue<int>(), u["notices"]!.GetValue<int>(),
                u["supervisions"]!.AsObject().ToDictionary(s => Enum.Parse<SupervisionLevel>(s.Key), s => s.Value!.GetValue<int>()))).ToList();
            var lists = node["lists"]!.AsObject().ToDictionary(l => l.Key, l => new CaseListHead(l.Value!["total"]!.GetValue<int>(),
                l.Value["first"]!.AsArray().Select(c => (c![0]!.GetValue<long>(), new DateTime(c[1]!.GetValue<long>(), DateTimeKind.Utc))).ToList()));
            return new ClosedPeriodDetails(Breakdown.FromJson(node["breakdown"]!), units, lists);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException or NullReferenceException or FormatException)
        {
            return null;
        }
    }
}
