using Taizhang.Domain.Cases;
using Taizhang.Domain.Rates;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// 承办单位排名: the responsible units of a period's cohort, as of the period's end.
/// <para>
/// A unit's <b>cases</b> are the cohort's cases it held then (its row of the "by responsible unit"
/// table); its handling, on-time and satisfaction rates are those cases' (<see cref="CaseFigures"/>).
/// Its <b>events</b> are the cohort's events up to the period's end that concern it
/// (<see cref="CaseEvent.UnitId"/>): the cases given to it at least once (交办 or 转办 to it), its 退回
/// (return rate = returns ÷ cases given to it), and the 催办, 通报 and 督办 its cases received.
/// Supervision carries points against the unit by level (<c>Deadlines:SupervisionPoints:Ordinary|Yellow|Red</c>, 0 / 5 / 10).
/// </para>
/// <para>
/// The <b>score</b> (out of 100, before deductions) = 40 × handling rate + 30 × on-time rate + 30 ×
/// satisfaction rate — a rate with nothing to count (no case handled or followed up yet) is left out
/// and the other weights scaled up to 100 — minus 20 × return rate, minus the supervision points.
/// Units are ordered by score, then handling rate, then cases. A unit with fewer cases than
/// <c>Reports:RankingMinCases</c> (5) is listed as "too few cases", not ranked: a rate over two cases says little.
/// </para>
/// </summary>
public static class ReportRankings
{
    public sealed record Row(int? Rank, UnitRef Unit, int Cases, int AssignedCases, double? HandlingRate, double? OnTimeRate, double? SatisfactionRate,
        int Returns, double? ReturnRate, int Reminders, int Notices, IReadOnlyDictionary<string, int> Supervisions, int SupervisionPoints,
        double? Score, bool TooFewCases, string Link);

    public sealed record Rankings(int MinCases, IReadOnlyDictionary<string, int> Points, string Definition, IReadOnlyList<Row> Rows);

    public const double HandlingWeight = 40, OnTimeWeight = 30, SatisfactionWeight = 30, ReturnWeight = 20;

    public sealed class Handler(IConfiguration configuration, Texts texts)
    {
        public int MinCases => Math.Max(1, configuration.GetValue("Reports:RankingMinCases", 5));

        /// <summary>Points per supervision level (read here, not through the deadline options, so either can change alone).</summary>
        public IReadOnlyDictionary<SupervisionLevel, int> Points => new Dictionary<SupervisionLevel, int>
        {
            [SupervisionLevel.Ordinary] = configuration.GetValue("Deadlines:SupervisionPoints:Ordinary", 0),
            [SupervisionLevel.Yellow] = configuration.GetValue("Deadlines:SupervisionPoints:Yellow", 5),
            [SupervisionLevel.Red] = configuration.GetValue("Deadlines:SupervisionPoints:Red", 10),
        };

        /// <param name="assignees">The "by responsible unit" breakdown (raw unit id → figures of the cases it held then; "" for none).</param>
        /// <param name="unitEvents">The units' events (<see cref="PeriodFacts.Handler.UnitEventsAsync"/>, or a closed period's persisted ones).</param>
        public Rankings Rank(IReadOnlyDictionary<string, FigureCounts> assignees, IEnumerable<PeriodFacts.UnitEvents> unitEvents,
            OrgDirectory.Snapshot units, Func<string, string?, string?, string> link, bool severalTowns = false)
        {
            var points = Points;
            var min = MinCases;
            var events = unitEvents.ToDictionary(e => e.UnitId);
            var held = assignees.Where(a => a.Key.Length > 0)
                .ToDictionary(a => long.Parse(a.Key, System.Globalization.CultureInfo.InvariantCulture), a => a.Value);
            var rows = new List<Row>();
            foreach (var id in held.Keys.Union(events.Keys))
            {
                if (!units.UnitsById.TryGetValue(id, out var unit))
                {
                    continue;
                }
                var f = held.TryGetValue(id, out var counts) ? counts : FigureCounts.Zero;
                var e = events.TryGetValue(id, out var ev) ? ev : new PeriodFacts.UnitEvents(id, 0, 0, 0, 0, new Dictionary<SupervisionLevel, int>());
                var cases = f[CaseFigures.Registered];
                var handling = f.Rate(CaseFigures.HandlingRate).Value;
                var onTime = f.Rate(CaseFigures.OnTimeRate).Value;
                var satisfaction = f.Rate(CaseFigures.SatisfactionRate).Value;
                double? returnRate = e.Assigned == 0 ? null : (double)e.Returns / e.Assigned;
                var supervisionPoints = e.Supervisions.Sum(s => s.Value * points[s.Key]);
                var tooFew = cases < min;
                rows.Add(new Row(null, new UnitRef(unit.Code, ReportData.Handler.UnitName(units, unit, severalTowns)), cases, e.Assigned, handling, onTime, satisfaction, e.Returns, returnRate,
                    e.Reminders, e.Notices, e.Supervisions.ToDictionary(s => s.Key.ToString(), s => s.Value), supervisionPoints,
                    tooFew ? null : Score(handling, onTime, satisfaction, returnRate, supervisionPoints), tooFew,
                    link(CaseFigures.Registered.Key, "assignee", unit.Code)));
            }
            var ranked = rows.Where(r => !r.TooFewCases)
                .OrderByDescending(r => r.Score).ThenByDescending(r => r.HandlingRate ?? -1).ThenByDescending(r => r.Cases)
                .ThenBy(r => r.Unit.Code, StringComparer.Ordinal)
                .Select((r, i) => r with { Rank = i + 1 });
            var unranked = rows.Where(r => r.TooFewCases).OrderByDescending(r => r.Cases).ThenBy(r => r.Unit.Code, StringComparer.Ordinal);
            return new Rankings(min, points.ToDictionary(p => p.Key.ToString(), p => p.Value),
                texts.Format("report.ranking.definition", min), ranked.Concat(unranked).ToList());
        }
    }

    /// <summary>The composite (see the class): weighted rates over those with a value, minus return and supervision deductions; two decimals.</summary>
    public static double Score(double? handling, double? onTime, double? satisfaction, double? returnRate, int supervisionPoints)
    {
        var weighted = new[] { (handling, HandlingWeight), (onTime, OnTimeWeight), (satisfaction, SatisfactionWeight) }
            .Where(x => x.Item1 is not null).ToList();
        var weights = weighted.Sum(x => x.Item2);
        var rates = weights == 0 ? 0 : weighted.Sum(x => x.Item1!.Value * x.Item2) * 100 / weights;
        return Math.Round(rates - ReturnWeight * (returnRate ?? 0) - supervisionPoints, 2);
    }
}
