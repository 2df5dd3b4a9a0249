using System.Globalization;
using Taizhang.Domain.Cases;
using Taizhang.Domain.Organization;
using Taizhang.Domain.Rates;
using Taizhang.Web.Features.Cases;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Reports;

/// <summary>
/// 统计报表: one period's figures for one scope, as the reports page, its export and the monthly
/// report show them. Every number comes from <see cref="PeriodFacts"/> (the cohort as of the
/// period's end) and carries its definition and a link to exactly its cases.
/// </summary>
public static class ReportData
{
    /// <summary>
    /// The page's query string. <c>period</c>: month (default), quarter, year, custom, last-month;
    /// <c>month</c> yyyy-MM, <c>quarter</c> yyyy-Qn, <c>year</c> yyyy, <c>from</c>/<c>to</c> yyyy-MM-dd
    /// for custom; <c>unit</c>: a unit code in the caller's scope (default: all of it).
    /// </summary>
    public sealed record Query
    {
        public string? Period { get; init; }
        public string? Month { get; init; }
        public string? Quarter { get; init; }
        public string? Year { get; init; }
        public string? From { get; init; }
        public string? To { get; init; }
        public string? Unit { get; init; }

        /// <summary>The same report as a query string (for the export and print links).</summary>
        public string ToQueryString()
        {
            var parts = new List<string>();
            void Add(string name, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    parts.Add(name + "=" + Uri.EscapeDataString(value.Trim()));
                }
            }
            Add("period", Period);
            Add("month", Month);
            Add("quarter", Quarter);
            Add("year", Year);
            Add("from", From);
            Add("to", To);
            Add("unit", Unit);
            return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
        }
    }

    public enum PeriodKind { Month, Quarter, Year, Custom }

    /// <summary>A figure (a count of cases) with its name, definition and the link listing its cases.</summary>
    public sealed record FigureView(string Key, string Name, int Count, string Link);

    /// <summary>A rate with its definition, this period's value and the previous period's beside it.</summary>
    public sealed record RateView(string Key, string Name, string Definition, int Numerator, int Denominator, double? Value, double? Previous,
        string NumeratorLink, string DenominatorLink);

    /// <summary>One row of a breakdown table: a value of the dimension, its figures and rates.</summary>
    public sealed record TableRow(string Key, string Name, int Registered, int Accepted, int Handled, int OnTime, int FollowedUp, int Satisfied,
        IReadOnlyDictionary<string, double?> Rates, string Link);

    /// <summary>A breakdown: by village, responsible unit, channel, category, urgency or track.</summary>
    public sealed record Table(string Dimension, string Name, IReadOnlyList<TableRow> Rows);

    public sealed record FunnelStage(string Key, string Name, int Count, string Link);

    /// <summary>One month of the 12-month trend (as of that month's end; the running month as of now).</summary>
    public sealed record TrendPoint(string Month, int Registered, IReadOnlyDictionary<string, double?> Rates, double? Composite)
    {
        /// <summary>The 12345 scheme's parts the composite is made of (response, resolution, satisfaction over the followed-up cases).</summary>
        public AssessmentScheme.Score? Assessment { get; init; }
    }

    public sealed record AssessmentView(DateOnly From, DateOnly To, int FollowedUp, double? Response, double? Resolution, double? Satisfaction,
        double? Composite, AssessmentScheme Scheme, IReadOnlyDictionary<string, string> Definitions);

    public sealed record Response(
        PeriodKind Kind, string Label, DateOnly From, DateOnly To, DateTime AsOf, bool Closed, UnitRef? Scope, string PreviousLabel,
        IReadOnlyList<FigureView> Figures, IReadOnlyList<RateView> Rates, AssessmentView Assessment,
        IReadOnlyList<Table> Tables, IReadOnlyList<FunnelStage> Funnel, IReadOnlyList<TrendPoint> Trends,
        Consultation.ConsultationReport.Response? Consultation, string Query)
    {
        /// <summary>Responsible units ranked (<see cref="ReportRankings"/>); null when the caller left them out (<c>withRankings: false</c>).</summary>
        public ReportRankings.Rankings? Rankings { get; init; }

        /// <summary>The monthly report's lists: overdue (as of the period's end), suspended and supervised (now).</summary>
        public IReadOnlyList<ReportLists.CaseList> Lists { get; init; } = [];
    }

    /// <summary>A report query made sense of: the period, the one before, their labels, the scope and the cohort's filters.</summary>
    public sealed record Resolved(PeriodKind Kind, Period Period, Period Previous, string Label, string PreviousLabel, UnitInfo? Scope,
        ListCases.Query? Filters, OrgDirectory.Snapshot Units);

    /// <summary>The years a report may name (the ledger's dates are checked the same way): nothing earlier, no date arithmetic overflows.</summary>
    public const int MinYear = 2000;

    public const int MaxYear = 2100;

    public static bool InRange(DateOnly day) => day.Year is >= MinYear and <= MaxYear;

    /// <summary>The dimensions of the breakdowns (<see cref="Breakdown"/>), in the page's order.</summary>
    public static readonly IReadOnlyList<string> Dimensions = ["village", "assignee", "channel", "category", "urgency", "track"];

    /// <summary>
    /// The tables' dimensions: the breakdowns' and, first, 按乡镇 (the villages' rows added up by town), shown when the report
    /// spans several towns (a county's thousand villages are not where its leader starts).
    /// </summary>
    public static readonly IReadOnlyList<string> TableDimensions = ["town", .. Dimensions];

    public sealed class Handler(PeriodFacts.Handler facts, OrgDirectory org, Texts texts, AssessmentScheme scheme,
        ReportRankings.Handler rankings, ReportLists.Handler lists, Accounts.CurrentUser user, IServiceScopeFactory scopes)
    {
        /// <summary>
        /// The period, its predecessor and the scope a report query names; field errors (added to
        /// <paramref name="errors"/>, not thrown) for what makes no sense. A unit outside the caller's
        /// reach is refused (a report titled with a unit would otherwise show only the caller's part of it).
        /// </summary>
        public async Task<Resolved?> ResolveAsync(Query q, FieldErrors errors, CancellationToken ct)
        {
            var today = facts.Today;
            var (kind, period, previous, label, previousLabel) = ParsePeriod(q, today, errors);
            var units = await org.GetAsync(ct);
            UnitInfo? scope = null;
            if (!string.IsNullOrWhiteSpace(q.Unit))
            {
                if (!units.UnitsByCode.TryGetValue(q.Unit.Trim(), out scope))
                {
                    errors.Add("unit", texts.Format("field.unknown-org-unit", q.Unit.Trim()));
                }
                else
                {
                    var reach = (await user.AccessAsync(ct)).ReachOf(Domain.Access.Permission.ReadCases);
                    if (!reach.Area.Contains(scope.Id) && !reach.Assigned.Contains(scope.Id))
                    {
                        errors.Add("unit", texts.Format("reports-page.field.unit", q.Unit.Trim()));
                        scope = null;
                    }
                }
            }
            if (errors.Any || period is null || previous is null)
            {
                return null;
            }
            var filters = scope is null ? null : new ListCases.Query { OrgUnit = scope.Code };
            return new Resolved(kind, period, previous, label, previousLabel, scope, filters, units);
        }

        /// <param name="withTrends">The 12-month trend (twelve more periods).</param>
        /// <param name="withRankings">The unit rankings and the monthly report's lists (a few more queries).</param>
        public async Task<Response> HandleAsync(Query q, CancellationToken ct, bool withTrends = true, bool withRankings = true)
        {
            var errors = new FieldErrors();
            var resolved = await ResolveAsync(q, errors, ct);
            errors.ThrowIfAny();
            // The consultation figures read other tables (meetings, events, tallies): counted beside the case figures (a
            // county's year: 25–30 ms of 110 that the second core did nothing during).
            var (from, to, unit) = (resolved!.Period.From, resolved.Period.To, resolved.Scope);
            await using var consultation = SideTask<Consultation.ConsultationReport.Response>.Start(scopes,
                services => services.GetRequiredService<Consultation.ConsultationReport.Handler>().ForPeriodAsync(from, to, ct, unit), ct);
            return await HandleAsync(q, resolved, consultation.Result, withTrends, withRankings, ct);
        }

        private async Task<Response> HandleAsync(Query q, Resolved resolved, Task<Consultation.ConsultationReport.Response> consultation,
            bool withTrends, bool withRankings, CancellationToken ct)
        {
            var today = facts.Today;
            var (kind, period, previous, label, previousLabel, scope, filters, units) = resolved;
            // A whole town or the county for a month, quarter or year: every figure from the counters (running) or each town's
            // persisted closed period, without the cohort (PeriodFacts.WholeTownAsync); otherwise the cohort, grouped.
            var whole = filters is null && kind != PeriodKind.Custom ? await facts.WholeTownAsync(period!, ct) : null;
            var set = whole is null ? await facts.GetAsync(period!, ct, filters) : null;
            // The ledger holds nothing before 2000: a period there has no predecessor to show.
            // Without filters (a whole town, the county) the previous period and the trend need totals only: from the
            // counters (PeriodFacts.TotalsAsync). With filters (a village, …) the grouped rows as before.
            var before = previous!.From.Year >= MinYear && filters is not null ? await facts.GetAsync(previous, ct, filters) : null;
            var previousTotals = before?.Totals()
                ?? (previous.From.Year >= MinYear ? await facts.TotalsAsync(previous, ct) : FigureCounts.Zero);
            var totals = whole?.Totals ?? set!.Totals();
            var breakdown = whole?.Breakdown ?? Breakdown.Of(set!.Rows);
            var asOf = whole?.AsOfUtc ?? set!.AsOfUtc;
            var closed = whole?.Closed ?? set!.Closed;
            var query = q.ToQueryString();

            string Link(string figure, string? dimension = null, string? value = null)
            {
                var link = "/reports/cases" + (query.Length == 0 ? "?" : query + "&") + "figure=" + figure;
                return dimension is null ? link : link + "&dim=" + dimension + "&value=" + Uri.EscapeDataString(value ?? "");
            }

            var figures = CaseFigures.All.Select(f => new FigureView(f.Key, texts["figure." + f.Key], totals[f], Link(f.Key))).ToList();
            var rates = CaseFigures.AllRates.Select(r =>
            {
                var v = totals.Rate(r);
                return new RateView(r.Key, texts["rate." + r.Key], texts["rate." + r.Key + ".definition"], v.Numerator, v.Denominator, v.Value,
                    previousTotals.Rate(r).Value, Link(r.Numerator.Key), Link(r.Denominator.Key));
            }).ToList();

            var window = scheme.WindowStartDay == 1 || kind != PeriodKind.Month
                ? (period!.From, period.To)
                : scheme.Window(period!.From.Year, period.From.Month);
            var assessed = (window.Item1, window.Item2) == (period.From, period.To)
                ? totals
                : filters is null ? await facts.TotalsAsync(new Period(window.Item1, window.Item2 > today ? today : window.Item2), ct)
                : (await facts.GetAsync(new Period(window.Item1, window.Item2 > today ? today : window.Item2), ct, filters)).Totals();
            var score = scheme.Of(assessed);
            var assessment = new AssessmentView(window.Item1, window.Item2, score.FollowedUp, score.Response, score.Resolution, score.Satisfaction,
                score.Composite, scheme, new Dictionary<string, string>
                {
                    ["response"] = texts["assessment.response.definition"],
                    ["resolution"] = texts["assessment.resolution.definition"],
                    ["satisfaction"] = texts.Format("assessment.satisfaction.definition", scheme.BasicWeight),
                    ["composite"] = texts.Format("assessment.composite.definition", scheme.ResponseWeight, scheme.ResolutionWeight, scheme.SatisfactionWeight),
                });

            // A unit's returns are the returns it made, not those of the cases it holds now (a case 马家村 returned and the
            // judicial office then took is the village's return): the assignee table's return rate is the rankings'.
            var unitEvents = whole?.Units ?? await facts.UnitEventsAsync(period, ct, filters);
            var severalTowns = await SeveralTownsAsync(scope, units, ct);
            var tables = (severalTowns ? TableDimensions : Dimensions)
                .Select(d => BuildTable(d, d == "town" ? breakdown["village"] : breakdown[d], units, Link, d == "assignee" ? unitEvents : null, severalTowns))
                .ToList();
            var funnel = new[] { CaseFigures.Registered, CaseFigures.Accepted, CaseFigures.AssignedOnce, CaseFigures.Handled, CaseFigures.FollowedUp, CaseFigures.Satisfied }
                .Select(f => new FunnelStage(f.Key, texts["figure." + f.Key], totals[f], Link(f.Key))).ToList();

            var trends = new List<TrendPoint>();
            if (withTrends)
            {
                var months = Period.TwelveMonths(period.To > today ? today : period.To).Where(m => m.From.Year >= MinYear)
                    .Select(m => (Month: m, Clipped: m.To > today ? m with { To = today } : m)).ToList();
                // Without filters the months' totals in one go (a county's eleven closed months: one read of their stored rows).
                var monthTotals = filters is null
                    ? await facts.TotalsAsync(months.Select(m => m.Clipped).Where(c => c != period && c != previous).ToList(), ct)
                    : null;
                foreach (var (month, clipped) in months)
                {
                    // The report's own month (or the one before it) is already counted: once per period, not twice.
                    var t = clipped == period ? totals : clipped == previous ? previousTotals
                        : monthTotals is not null ? monthTotals[clipped] : (await facts.GetAsync(clipped, ct, filters)).Totals();
                    var assessedMonth = scheme.Of(t);
                    trends.Add(new TrendPoint(month.From.ToString("yyyy-MM", CultureInfo.InvariantCulture), t[CaseFigures.Registered],
                        CaseFigures.AllRates.ToDictionary(r => r.Key, r => t.Rate(r).Value), assessedMonth.Composite) { Assessment = assessedMonth });
                }
            }
            var consultationFigures = await consultation;
            return new Response(kind, label, period.From, period.To, asOf, closed, scope is null ? null : new UnitRef(scope.Code, scope.Name),
                previousLabel, figures, rates, assessment, tables, funnel, trends, consultationFigures, query)
            {
                Rankings = withRankings
                    ? rankings.Rank(breakdown["assignee"], unitEvents, units, Link, severalTowns)
                    : null,
                Lists = withRankings ? await lists.ListsAsync(period, closed, asOf, filters, scope, Link, ct, whole?.Details) : [],
            };
        }

        /// <summary>A breakdown table from a dimension's raw values (<see cref="Breakdown"/>): a group counts for its village.</summary>
        /// <param name="unitEvents">For the assignee table: the units' own returns (their return rate replaces the held cases').</param>
        /// <param name="severalTowns">The report spans several towns: a village is named with its town (a county has many 赵家村).</param>
        private Table BuildTable(string dimension, IReadOnlyDictionary<string, FigureCounts> values, OrgDirectory.Snapshot units,
            Func<string, string?, string?, string> link, IEnumerable<PeriodFacts.UnitEvents>? unitEvents = null, bool severalTowns = false)
        {
            var events = unitEvents?.ToDictionary(e => e.UnitId);
            static long? Id(string raw) => raw.Length == 0 ? null : long.Parse(raw, CultureInfo.InvariantCulture);
            (string Key, string Name) KeyOf(string raw) => dimension switch
            {
                "town" => TownOf(units, Id(raw)!.Value) is { } t ? (t.Code, t.Name) : ("", ""),
                "village" => ReportingUnit(units, Id(raw)!.Value) is { } u ? (u.Code, UnitName(units, u, severalTowns)) : ("", ""),
                "assignee" => Id(raw) is { } a && units.UnitsById.TryGetValue(a, out var au) ? (au.Code, UnitName(units, au, severalTowns)) : ("", texts["report.unassigned"]),
                "channel" => (raw, texts["channel." + raw]),
                "category" => Id(raw) is { } c && units.CategoriesById.TryGetValue(c, out var cat) ? (cat.Code, cat.Name) : ("", texts["report.uncategorized"]),
                "urgency" => (raw, texts["urgency." + raw]),
                "track" => raw.Length > 0 ? (raw, texts["track." + raw]) : ("", texts["report.untriaged"]),
                _ => throw new ArgumentOutOfRangeException(nameof(dimension)),
            };
            var rows = values.GroupBy(v => KeyOf(v.Key)).Select(g =>
            {
                var f = g.Select(v => v.Value).Aggregate(FigureCounts.Zero, (a, b) => a.Plus(b));
                var rates = CaseFigures.AllRates.ToDictionary(r => r.Key, r => f.Rate(r).Value);
                if (events is not null)
                {
                    var mine = g.Select(v => Id(v.Key)).OfType<long>().Select(id => events.GetValueOrDefault(id)).OfType<PeriodFacts.UnitEvents>().ToList();
                    var assigned = mine.Sum(e => e.Assigned);
                    rates[CaseFigures.ReturnRate.Key] = assigned == 0 ? null : (double)mine.Sum(e => e.Returns) / assigned;
                }
                return new TableRow(g.Key.Key, g.Key.Name, f[CaseFigures.Registered], f[CaseFigures.Accepted], f[CaseFigures.Handled], f[CaseFigures.OnTime],
                    f[CaseFigures.FollowedUp], f[CaseFigures.Satisfied], rates, link(CaseFigures.Registered.Key, dimension, g.Key.Key));
            }).OrderByDescending(r => r.Registered).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
            return new Table(dimension, texts["report.dimension." + dimension], rows);
        }

        /// <summary>Which breakdown value a row belongs to (the reports' cases page narrows by it the same way).</summary>
        public static Func<FactRow, bool> RowFilter(string dimension, string value, OrgDirectory.Snapshot units) => dimension switch
        {
            "town" => r => (TownOf(units, r.OrgUnitId)?.Code ?? "") == value,
            "village" => r => (ReportingUnit(units, r.OrgUnitId)?.Code ?? "") == value,
            "assignee" => r => (r.AssigneeUnitId is { } a && units.UnitsById.TryGetValue(a, out var u) ? u.Code : "") == value,
            "channel" => r => r.Channel.ToString() == value,
            "category" => r => (r.CategoryId is { } c && units.CategoriesById.TryGetValue(c, out var cat) ? cat.Code : "") == value,
            "urgency" => r => r.Urgency.ToString() == value,
            "track" => r => (r.Track?.ToString() ?? "") == value,
            _ => _ => false,
        };

        /// <summary>
        /// Whether the report spans several towns, from what it covers, not from the cases it found: the unit asked for, or
        /// else the caller's posts (a county post, a county bureau's, posts in two towns). A village, a town, a town's agency
        /// (its assigned cases are its town's) span one.
        /// </summary>
        private async Task<bool> SeveralTownsAsync(UnitInfo? scope, OrgDirectory.Snapshot units, CancellationToken ct)
        {
            var reach = (await user.AccessAsync(ct)).ReachOf(Domain.Access.Permission.ReadCases);
            IEnumerable<long> covered = scope is not null ? [scope.Id] : reach.Area.Concat(reach.Assigned);
            var towns = covered.Select(id => TownOf(units, id)?.Id).Distinct().ToList();
            return towns.Count > 1 || towns.Contains(null);
        }

        /// <summary>
        /// A unit as a report names it: over several towns with its town in front (三岔镇·马家村, 三岔镇·司法所: a county has
        /// many of each), unless its name already begins with the town's (柳林综治办 of 柳林镇).
        /// </summary>
        public static string UnitName(OrgDirectory.Snapshot units, UnitInfo unit, bool severalTowns)
        {
            if (!severalTowns || TownOf(units, unit.Id) is not { } town || town.Id == unit.Id)
            {
                return unit.Name;
            }
            // The town's name without 镇, 乡 or 街道; a one-character stem (东乡) says too little to be taken as the town.
            var stem = town.Name.EndsWith("街道", StringComparison.Ordinal) ? town.Name[..^2] : town.Name.TrimEnd('镇', '乡');
            return stem.Length >= 2 && unit.Name.StartsWith(stem, StringComparison.Ordinal) ? unit.Name : town.Name + "·" + unit.Name;
        }

        /// <summary>The town a unit is in (a town is its own).</summary>
        public static UnitInfo? TownOf(OrgDirectory.Snapshot units, long id) =>
            units.UnitsById.TryGetValue(id, out var unit) && (unit.Kind == OrgUnitKind.Town ? unit.Id : unit.TownId) is { } town
                && units.UnitsById.TryGetValue(town, out var t) ? t : null;

        /// <summary>The village (or community) a case counts for: a group's is its village; others their own unit.</summary>
        public static UnitInfo? ReportingUnit(OrgDirectory.Snapshot units, long id)
        {
            if (!units.UnitsById.TryGetValue(id, out var unit))
            {
                return null;
            }
            return unit.Kind == OrgUnitKind.Group && unit.ParentId is { } parent && units.UnitsById.TryGetValue(parent, out var village)
                ? village
                : unit;
        }

        private (PeriodKind, Period?, Period?, string, string) ParsePeriod(Query q, DateOnly today, FieldErrors errors)
        {
            var inv = CultureInfo.InvariantCulture;
            var kindText = q.Period?.Trim().ToLowerInvariant();
            switch (kindText)
            {
                case null or "" or "month" or "last-month":
                {
                    var day = kindText == "last-month" ? new DateOnly(today.Year, today.Month, 1).AddMonths(-1) : today;
                    if (kindText != "last-month" && !string.IsNullOrWhiteSpace(q.Month))
                    {
                        if (!DateOnly.TryParseExact(q.Month.Trim() + "-01", "yyyy-MM-dd", inv, DateTimeStyles.None, out day) || !InRange(day))
                        {
                            errors.Add("month", texts["field.month"]);
                            return (PeriodKind.Month, null, null, "", "");
                        }
                    }
                    var p = Period.Month(day);
                    if (p.From > today)
                    {
                        errors.Add("month", texts["field.month-future"]);
                        return (PeriodKind.Month, null, null, "", "");
                    }
                    var prev = Period.Month(p.From.AddMonths(-1));
                    return (PeriodKind.Month, Clip(p, today), prev, texts.Format("report.label.month", p.From.Year, p.From.Month, p.From),
                        texts.Format("report.label.month", prev.From.Year, prev.From.Month, prev.From));
                }
                case "quarter":
                {
                    var day = today;
                    if (!string.IsNullOrWhiteSpace(q.Quarter))
                    {
                        var t = q.Quarter.Trim().ToUpperInvariant();
                        if (t.Length != 7 || t[4] != '-' || t[5] != 'Q' || !int.TryParse(t[..4], NumberStyles.None, inv, out var y)
                            || t[6] is < '1' or > '4' || y is < 2000 or > 2100)
                        {
                            errors.Add("quarter", texts["field.quarter"]);
                            return (PeriodKind.Quarter, null, null, "", "");
                        }
                        day = new DateOnly(y, (t[6] - '1') * 3 + 1, 1);
                    }
                    var p = Period.Quarter(day);
                    if (p.From > today)
                    {
                        errors.Add("quarter", texts["field.month-future"]);
                        return (PeriodKind.Quarter, null, null, "", "");
                    }
                    var prev = Period.Quarter(p.From.AddMonths(-3));
                    return (PeriodKind.Quarter, Clip(p, today), prev, texts.Format("report.label.quarter", p.From.Year, (p.From.Month - 1) / 3 + 1),
                        texts.Format("report.label.quarter", prev.From.Year, (prev.From.Month - 1) / 3 + 1));
                }
                case "year":
                {
                    var y = today.Year;
                    if (!string.IsNullOrWhiteSpace(q.Year) && (!int.TryParse(q.Year.Trim(), NumberStyles.None, inv, out y) || y < 2000 || y > today.Year))
                    {
                        errors.Add("year", texts["field.year"]);
                        return (PeriodKind.Year, null, null, "", "");
                    }
                    var p = Period.Year(new DateOnly(y, 1, 1));
                    var prev = Period.Year(new DateOnly(y - 1, 1, 1));
                    return (PeriodKind.Year, Clip(p, today), prev, texts.Format("report.label.year", y), texts.Format("report.label.year", y - 1));
                }
                case "custom":
                {
                    DateOnly from = default, to = default;
                    if (string.IsNullOrWhiteSpace(q.From) || !DateOnly.TryParseExact(q.From.Trim(), "yyyy-MM-dd", inv, DateTimeStyles.None, out from)
                        || !InRange(from))
                    {
                        errors.Add("from", texts["field.date"]);
                    }
                    if (string.IsNullOrWhiteSpace(q.To) || !DateOnly.TryParseExact(q.To.Trim(), "yyyy-MM-dd", inv, DateTimeStyles.None, out to)
                        || !InRange(to))
                    {
                        errors.Add("to", texts["field.date"]);
                    }
                    if (errors.Any)
                    {
                        return (PeriodKind.Custom, null, null, "", "");
                    }
                    if (to < from)
                    {
                        errors.Add("to", texts["field.to-before-from"]);
                        return (PeriodKind.Custom, null, null, "", "");
                    }
                    if (from > today)
                    {
                        errors.Add("from", texts["field.month-future"]);
                        return (PeriodKind.Custom, null, null, "", "");
                    }
                    if (to.DayNumber - from.DayNumber > 3660)
                    {
                        errors.Add("to", texts["field.period-too-long"]);
                        return (PeriodKind.Custom, null, null, "", "");
                    }
                    var p = new Period(from, to);
                    var length = to.DayNumber - from.DayNumber + 1;
                    var prev = new Period(from.AddDays(-length), from.AddDays(-1));
                    return (PeriodKind.Custom, Clip(p, today), prev, texts.Format("report.label.custom", p.FromText, p.ToText),
                        texts.Format("report.label.custom", prev.FromText, prev.ToText));
                }
                default:
                    errors.Add("period", texts.Format("field.one-of", "month, quarter, year, custom, last-month"));
                    return (PeriodKind.Month, null, null, "", "");
            }
        }

        /// <summary>A period that runs past today is counted up to today (as of now).</summary>
        private static Period Clip(Period p, DateOnly today) => p.To > today ? p with { To = today } : p;
    }
}
