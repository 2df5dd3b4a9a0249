using System.Text.Json;
using Taizhang.Web.Features.Reports;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Pages.Reports;

/// <summary>
/// The charts' numbers as JSON for the page's <c>&lt;script type="application/json"&gt;</c> block:
/// reports.js draws them with ECharts (progressive enhancement: the same numbers are in the tables).
/// Labels come in the reader's language; rates are percentages with one decimal, null for "—".
/// </summary>
public static class ReportCharts
{
    /// <summary>The vendored library's asset (ThirdParty/echarts-5.6.0/README.md).</summary>
    public const string Library = "echarts-5.6.0.min.js";

    /// <summary>The board's five rates: the trend chart's lines (with the 12345 composite).</summary>
    public static readonly IReadOnlyList<string> TrendRates = ["handling", "resolution", "on-time", "satisfaction", "follow-up"];

    /// <summary>A bar of the ranking chart: a unit and its score (out of 100, after deductions).</summary>
    public sealed record Ranked(string Name, double? Value);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static double? Pct(double? v) => v is { } x ? Math.Round(x * 100, 1) : null;

    /// <summary>
    /// The JSON (HTML-safe: the default encoder escapes &lt; &gt; &amp; and quotes, so it cannot close its script element).
    /// </summary>
    public static string Of(ReportData.Response report, Texts texts, string rankingTitle, IReadOnlyList<Ranked> ranking)
    {
        var rateNames = report.Rates.ToDictionary(r => r.Key, r => r.Name);
        var data = new
        {
            funnel = new
            {
                title = texts["reports-page.funnel"],
                names = report.Funnel.Select(s => s.Name),
                values = report.Funnel.Select(s => s.Count),
            },
            trend = new
            {
                title = texts["reports-page.trend"],
                months = report.Trends.Select(t => t.Month),
                percentAxis = texts["reports-page.chart.percent"],
                countAxis = texts["figure.registered"],
                registered = report.Trends.Select(t => t.Registered),
                series = TrendRates.Where(rateNames.ContainsKey)
                    .Select(k => new { key = k, name = rateNames[k], values = report.Trends.Select(t => Pct(t.Rates.GetValueOrDefault(k))) })
                    .Append(new { key = "composite", name = texts["reports-page.assessment.composite"], values = report.Trends.Select(t => Pct(t.Composite)) }),
                // The composite's parts by month, as the table shows them beside it (the tooltip's).
                compositeParts = report.Trends.Select(t => ReportPage.Parts(t.Assessment, texts)),
            },
            ranking = new
            {
                title = rankingTitle,
                names = ranking.Select(r => r.Name),
                values = ranking.Select(r => r.Value is { } v ? Math.Round(v, 1) : (double?)null),
                // The bars' labels exactly as the table writes the scores (one decimal).
                labels = ranking.Select(r => ReportPage.Score(r.Value)),
            },
        };
        return JsonSerializer.Serialize(data, Json);
    }
}
