using System.Globalization;
using Taizhang.Domain.Access;
using Taizhang.Domain.Organization;
using Taizhang.Domain.Rates;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Reports;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Reports;

/// <summary>
/// What the reports page and the monthly report share: the query string read as a
/// <see cref="ReportData.Query"/>, the scopes the reader may pick (the units of their posts and the
/// villages under them), and the report itself from <see cref="ReportData.Handler"/>. Bad input is a
/// message next to its picker (400), never a 500; a unit outside the reader's scope is refused the same way.
/// </summary>
public abstract class ReportPage(ReportData.Handler reports, CurrentUser user, OrgDirectory org, Texts texts) : StaffPage
{
    public ReportData.Query Query { get; private set; } = new();

    /// <summary>The report; null when the query was refused (the messages are in ModelState).</summary>
    public ReportData.Response? Report { get; private set; }

    /// <summary>The units the scope picker offers, in tree order: the reader's posts' units and the villages (communities) they reach.</summary>
    public IReadOnlyList<UnitInfo> Scopes { get; private set; } = [];

    /// <summary>The title's unit: <see cref="ScopeName"/>, else the town (or county) of the reader's first post.</summary>
    public string Title { get; private set; } = "";

    /// <summary>The unit the figures are of: the chosen one, else the one unit of the reader's posts; null when they are at several.</summary>
    public string? ScopeName { get; private set; }

    /// <summary>The chosen period kind as the picker shows it (month, quarter, year, custom).</summary>
    public string Kind { get; private set; } = "month";

    public IEnumerable<string> Messages => ModelState.Values.SelectMany(v => v.Errors).Select(e => e.ErrorMessage);

    /// <summary>A post reads a whole town (at the town or above, by area): the frozen monthly reports are the reader's to see.</summary>
    public bool ReadsWholeTowns { get; private set; }

    protected async Task LoadAsync(bool withTrends)
    {
        var ct = HttpContext.RequestAborted;
        string? Get(string name) => Request.Query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString() : null;
        Query = new ReportData.Query
        {
            Period = Get("period"), Month = Get("month"), Quarter = Get("quarter"), Year = Get("year"),
            From = Get("from"), To = Get("to"), Unit = Get("unit"),
        };
        Kind = Query.Period?.Trim().ToLowerInvariant() switch
        {
            "quarter" => "quarter",
            "year" => "year",
            "custom" => "custom",
            _ => "month",
        };

        var units = await org.GetAsync(ct);
        var principal = await user.GetAsync(ct);
        var access = await user.AccessAsync(ct);
        var reach = access.ReachOf(Permission.ReadCases);
        var reached = reach.Area.Concat(reach.Assigned).ToHashSet();
        var posts = principal.Posts.Where(p => Permissions.Allows(p.Role, Permission.ReadCases)).Select(p => p.Unit.Id).ToHashSet();
        ReadsWholeTowns = principal.Posts.Any(p => p.Unit.Kind is OrgUnitKind.Town or OrgUnitKind.County
            && Permissions.Allows(p.Role, Permission.ReadCases) && Permissions.Scope(p.Role) == ScopeKind.Area);
        Scopes = reached.Select(id => units.UnitsById[id])
            .Where(u => posts.Contains(u.Id) || u.Kind is OrgUnitKind.Village or OrgUnitKind.Community)
            .Order(OrgDirectory.Snapshot.TreeOrder).ToList();

        UnitInfo? scope = null;
        if (Query.Unit is { } code)
        {
            // Any unit the reader reaches (a group too, typed into the address); others are not theirs to report on.
            if (units.UnitsByCode.TryGetValue(code.Trim(), out var u) && reached.Contains(u.Id))
            {
                scope = u;
            }
            else
            {
                ModelState.AddModelError("Unit", texts.Format("reports-page.field.unit", code.Trim()));
            }
        }
        var first = principal.Posts.FirstOrDefault()?.Unit;
        var town = first?.TownId is { } townId && units.UnitsById.TryGetValue(townId, out var t) ? t : first;
        // Without a chosen unit the report covers what the reader's posts reach: named after the unit of those posts when
        // they are all at one (a village's cadre reports on the village, an agency on its own cases), not the town around it.
        ScopeName = scope?.Name ?? (posts.Count == 1 && units.UnitsById.TryGetValue(posts.First(), out var own) ? own.Name : null);
        Title = ScopeName ?? town?.Name ?? "";

        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (!await TryAsync(async () => Report = await reports.HandleAsync(Query, ct, withTrends)))
        {
            Report = null;
        }
    }

    // The pickers show what was typed, else the period shown (so the form always says which report this is).
    private static string Inv(FormattableString f) => FormattableString.Invariant(f);

    public string? MonthValue => Query.Month ?? (Report is { Kind: ReportData.PeriodKind.Month } r ? Inv($"{r.From:yyyy-MM}") : null);

    public string? QuarterValue => Query.Quarter ?? (Report is { Kind: ReportData.PeriodKind.Quarter } r ? Inv($"{r.From.Year}-Q{(r.From.Month - 1) / 3 + 1}") : null);

    public string? YearValue => Query.Year ?? (Report is { Kind: ReportData.PeriodKind.Year } r ? Inv($"{r.From.Year}") : null);

    public string? FromValue => Query.From ?? (Report is { Kind: ReportData.PeriodKind.Custom } r ? Inv($"{r.From:yyyy-MM-dd}") : null);

    public string? ToValue => Query.To ?? (Report is { Kind: ReportData.PeriodKind.Custom } r ? Inv($"{r.To:yyyy-MM-dd}") : null);

    /// <summary>
    /// The rows a long table shows, on the page and in print: a county's thousand villages and thousand units are 3 MB of
    /// page and thirty printed pages, and no one reads them there. The .xlsx has every row; the page says so under the table.
    /// </summary>
    public const int ShownRows = 50;

    /// <summary>A ranking longer than <see cref="ShownRows"/> shows its top and its last this many (the bottom is what is looked for).</summary>
    public const int ShownLastRanks = 20;

    /// <summary>The rows of a table the page shows (<see cref="ShownRows"/>): its first ones, and with <paramref name="last"/> also its last ones.</summary>
    public static (IReadOnlyList<T> First, int Omitted, IReadOnlyList<T> Last) Shown<T>(IReadOnlyList<T> rows, int last = 0) =>
        rows.Count <= ShownRows ? (rows, 0, []) : ([.. rows.Take(ShownRows - last)], rows.Count - ShownRows, [.. rows.TakeLast(last)]);

    /// <summary>
    /// The rows of the ranking the page lists: all when they are few; of a long one (a county's thousand units) the top
    /// <see cref="ShownRows"/> − <see cref="ShownLastRanks"/> and the last <see cref="ShownLastRanks"/> ranked units (the
    /// bottom of the ranking, not the units with too few cases, which come after it and are only counted: <c>Unranked</c>).
    /// </summary>
    public static (IReadOnlyList<ReportRankings.Row> First, int Omitted, IReadOnlyList<ReportRankings.Row> Last, int Unranked) RankingRows(
        IReadOnlyList<ReportRankings.Row> rows)
    {
        if (rows.Count <= ShownRows)
        {
            return (rows, 0, [], 0);
        }
        var ranked = rows.Where(r => r.Rank is not null).OrderBy(r => r.Rank).ToList();
        var (first, omitted, last) = Shown(ranked, ShownLastRanks);
        return (first, omitted, last, rows.Count - ranked.Count);
    }

    /// <summary>The ranking chart's title.</summary>
    public string RankingTitle => texts["reports-page.ranking.chart"];

    /// <summary>
    /// The ranking chart's bars: the ranked units' scores (<see cref="ReportRankings"/>), best first;
    /// units with too few cases are in the table only.
    /// </summary>
    public IReadOnlyList<ReportCharts.Ranked> Ranking => Report?.Rankings is { } rankings
        ? Bars(rankings.Rows.Where(r => r.Rank is not null).OrderBy(r => r.Rank).Select(r => new ReportCharts.Ranked(r.Unit.Name, r.Score)).ToList())
        : [];

    /// <summary>The chart's bars: every ranked unit, or of many (a county's) the first and the last ten.</summary>
    private static IReadOnlyList<ReportCharts.Ranked> Bars(IReadOnlyList<ReportCharts.Ranked> ranked) =>
        ranked.Count <= 20 ? ranked : [.. ranked.Take(10), .. ranked.TakeLast(10)];

    /// <summary>A rate as the board shows it: "98.5%", or "—" when nothing was counted.</summary>
    public static string Percent(double? value) =>
        value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal) : "—";

    /// <summary>A unit's ranking score as the table and the chart's bars both show it: one decimal ("84.0"), "—" when none.</summary>
    public static string Score(double? value) => value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "—";

    /// <summary>The 12345 composite (out of 100) with one decimal, "—" when no case was followed up.</summary>
    public static string Composite(double? value) => value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) : "—";

    /// <summary>What a month's composite is made of, beside it: "响应 100.0% · 解决 0.0% · 满意 90.0%".</summary>
    public static string Parts(AssessmentScheme.Score? score, Texts texts) => score is { Composite: not null } s
        ? texts.Format("reports-page.assessment.parts", Percent(s.Response), Percent(s.Resolution), Percent(s.Satisfaction))
        : "";

    /// <summary>The same report (period and scope) at another address: the print view, the page itself.</summary>
    public string LinkTo(string path) => path + (Report?.Query ?? Query.ToQueryString());

    /// <summary>"Last month" one click away, in the same scope.</summary>
    public string LastMonthLink => "/reports" + (Query with { Period = "last-month", Month = null, Quarter = null, Year = null, From = null, To = null }).ToQueryString();
}
