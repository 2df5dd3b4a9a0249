using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// 统计报表 (/reports) and the monthly report (/reports/print): every period kind renders for the
/// clerk with the definitions beside the rates, a village scope narrows the numbers, bad input is a
/// message next to its picker (never a 500), the printout is the A4 layout with its signature line,
/// and a village cadre's report holds only their village.
/// </summary>
public abstract partial class ReportsPageTests(TaizhangApp app) : IAsyncLifetime
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    public async Task InitializeAsync()
    {
        if (await app.WithDbAsync(db => Task.FromResult(db.Cases.Any())))
        {
            return;
        }
        // October (last month at the test's start, 2026-11-26): one case in 马家村.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 20, 2, 0, 0, TimeSpan.Zero));
        await _town.RegisterIdAsync(CaseApi.NewCase(title: "十月的来电", orgUnit: "SCH-MJC"));

        // November: two in 马家村 (one at its group), two in 王家村, one at the town.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 2, 0, 0, TimeSpan.Zero));
        var solved = await _town.RegisterIdAsync(CaseApi.NewCase(title: "路灯不亮", orgUnit: "SCH-MJC"));
        var groupCase = await _town.RegisterIdAsync(CaseApi.NewCase(title: "一组水渠堵塞", orgUnit: "SCH-MJC-1"));
        var explained = await _town.RegisterIdAsync(CaseApi.NewCase(title: "咨询社保政策", orgUnit: "SCH-WJC"));
        var rejected = await _town.RegisterIdAsync(CaseApi.NewCase(title: "不属于受理范围", orgUnit: "SCH-WJC"));
        await _town.RegisterIdAsync(CaseApi.NewCase(title: "集镇垃圾", orgUnit: "SCH"));
        foreach (var id in new[] { solved, groupCase })
        {
            await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
            await _town.DoAsync(id, "start");
        }
        await _town.DoAsync(explained, "triage", new { track = "Direct", assigneeUnit = "SCH-WJC" });
        await _town.DoAsync(explained, "start");
        app.Clock.Advance(TimeSpan.FromDays(1));
        await _town.DoAsync(solved, "resolve", new { outcome = "Solved", result = "已修复" });
        await _town.DoAsync(explained, "resolve", new { outcome = "Explained", result = "已解释政策" });
        app.Clock.Advance(TimeSpan.FromDays(1));
        await _town.DoAsync(solved, "follow-up", new { satisfaction = "Satisfied", note = "满意" });
        await _town.DoAsync(rejected, "reject", new { reason = "不属于受理范围" });
        app.Clock.SetUtcNow(TaizhangApp.Start);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("", "2026年11月", 5)]
    [InlineData("?period=month&month=2026-11", "2026年11月", 5)]
    [InlineData("?period=last-month", "2026年10月", 1)]
    [InlineData("?period=quarter&quarter=2026-Q4", "2026年第4季度", 6)]
    [InlineData("?period=year&year=2026", "2026年", 6)]
    [InlineData("?period=custom&from=2026-10-15&to=2026-11-03", "2026-10-15 至 2026-11-03", 6)]
    public async Task EveryPeriodKind_RendersForTheClerk_WithDefinitionsAndThePreviousPeriod(string query, string label, int registered)
    {
        var (status, html) = await _town.GetHtmlAsync("/reports" + query);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"data-period=\"{label}\"", html);
        Assert.Equal(registered, Figure(html, "registered"));
        // The rates with their definitions beside them and the previous period's value.
        Assert.Contains("data-rate=\"handling\"", html);
        Assert.Contains("已办结（含已回访）÷ 受理数", html);
        Assert.Contains("data-part=\"previous\"", html);
        // The 12345 scheme with its definitions and weights; the funnel, the trend, the breakdowns.
        Assert.Contains("回访事项中按时响应的 ÷ 有效回访数", html);
        Assert.Contains("解决率 × 0.5", html);
        foreach (var block in new[] { "funnel", "trend", "breakdowns", "figures", "consultation" })
        {
            Assert.Contains($"data-block=\"{block}\"", html);
        }
        foreach (var dimension in new[] { "village", "assignee", "channel", "category", "urgency", "track" })
        {
            Assert.Contains($"data-table=\"{dimension}\"", html);
        }
        Assert.Equal(12, Regex.Matches(html, "<tr data-month=\"").Count);
        // The charts' numbers are JSON for the script; the script and the library are the app's own.
        var charts = ChartData(html);
        Assert.Equal(registered, charts["funnel"]!["values"]!.AsArray()[0]!.GetValue<int>());
        Assert.Equal(12, charts["trend"]!["months"]!.AsArray().Count);
        Assert.Contains("/assets/echarts-5.6.0.min.js?v=", html);
        Assert.Contains("/assets/reports.js?v=", html);
        // Each figure links to its cases; the printout has the same query.
        Assert.Contains("href=\"/reports/print", html);
        Assert.Contains("href=\"/reports/cases", html);
        Assert.Contains("aria-current=\"page\">统计报表</a>", html);
    }

    [Fact]
    public async Task AVillageScope_CountsThatVillageOnly_ItsGroupsIncluded()
    {
        var (status, html) = await _town.GetHtmlAsync("/reports?period=month&month=2026-11&unit=SCH-MJC");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, Figure(html, "registered")); // its own case and its group's
        Assert.Equal(1, Figure(html, "handled"));
        Assert.Equal(["SCH-MJC"], TableKeys(html, "village"));
        Assert.Contains("<option value=\"SCH-MJC\" selected=\"selected\">", html);
        // The whole town, for comparison: three villages' rows (the town's own case counts for the town).
        var (_, all) = await _town.GetHtmlAsync("/reports?period=month&month=2026-11");
        Assert.Equal(["SCH", "SCH-MJC", "SCH-WJC"], TableKeys(all, "village").Order().ToArray());
    }

    [Theory]
    [InlineData("?period=month&month=2026-13", "month", "月份格式应为 YYYY-MM", "value=\"2026-13\"")]
    [InlineData("?period=month&month=2027-03", "month", "该月份尚未开始", "value=\"2027-03\"")]
    [InlineData("?period=quarter&quarter=2026-Q5", "quarter", "季度格式应为 YYYY-Qn", "value=\"2026-Q5\"")]
    [InlineData("?period=year&year=1999", "year", "年份应为 2000 年至今年之间", "value=\"1999\"")]
    [InlineData("?period=custom&from=2026-11-30&to=2026-11-01", "to", "结束日期不能早于开始日期", "value=\"2026-11-30\"")]
    [InlineData("?period=custom&from=yesterday&to=2026-11-01", "from", "日期格式应为 yyyy-MM-dd", "value=\"yesterday\"")]
    [InlineData("?period=weekly", "period", "取值无效", "name=\"period\"")]
    [InlineData("?unit=NO-SUCH-UNIT", "unit", "不在您的统计范围内", "<option value=\"\">")]
    public async Task BadInput_IsAMessageNextToItsPicker_WithWhatWasTyped(string query, string field, string message, string kept)
    {
        foreach (var path in new[] { "/reports", "/reports/print" })
        {
            var (status, html) = await _town.GetHtmlAsync(path + query);

            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains(message, html);
            Assert.DoesNotContain("data-block=\"rates\"", html);
            if (path == "/reports")
            {
                Assert.Matches($"<span class=\"field-error\" id=\"{field}-error\">[^<]*{Regex.Escape(message)}", html);
                Assert.Contains(kept, html);
            }
        }
    }

    [Fact]
    public async Task WithoutAChosenUnit_TheReportIsNamedAfterTheReadersOwnUnit_NotTheTownAroundIt()
    {
        // 马家村's cadre reads 马家村's cases only: a printout titled 三岔镇 would pass them off as the town's.
        var cadre = app.SharedClientAs("cadre");
        var (status, html) = await cadre.GetHtmlAsync("/reports/print?period=month&month=2026-11");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>马家村2026年11月月报</h1>", html);
        (status, html) = await cadre.GetHtmlAsync("/reports?period=month&month=2026-11");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("</strong>（马家村）", html);
    }

    [Fact]
    public async Task ThePrintout_IsTheA4Layout_WithTitleDefinitionsChartsAndASignatureLine()
    {
        var (status, html) = await _town.GetHtmlAsync("/reports/print?period=month&month=2026-11");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>三岔镇2026年11月月报</h1>", html);
        // The running month is counted up to today (the test's clock: 2026-11-26).
        Assert.Contains("统计期间：2026-11-01 至 2026-11-26", html);
        Assert.Contains("期间尚未结束", html);
        Assert.Contains("已办结（含已回访）÷ 受理数", html);
        Assert.Contains("<body data-renderer=\"svg\">", html); // the charts print as SVG
        Assert.Contains("data-chart=\"trend\"", html);
        Assert.Equal(5, ChartData(html)["funnel"]!["values"]!.AsArray()[0]!.GetValue<int>());
        // The unit rankings (a unit with fewer than 5 cases is listed, not ranked) and the three lists.
        Assert.Contains("SCH-MJC", TableKeys(html, "ranking"));
        Assert.Contains("事项过少，不排名", html);
        foreach (var list in new[] { "overdue", "suspended", "supervised" })
        {
            Assert.Contains($"data-list=\"{list}\"", html);
        }
        Assert.Contains("data-block=\"signature\"", html);
        Assert.Contains("填报人", html);
        Assert.Contains("审核人", html);
        Assert.Contains("日期：", html);
        // No menu, no forms: a page for paper, with its own stylesheet.
        Assert.DoesNotContain("<nav", html);
        Assert.DoesNotContain("<form", html);
        var css = Regex.Match(html, "href=\"(?<href>/assets/reports-print\\.css\\?v=[0-9a-f]+)\"").Groups["href"].Value;
        var sheet = await _town.GetStringAsync(css);
        Assert.Contains("size: A4;", sheet);
        Assert.Contains("break-before: page", sheet);
        Assert.Contains("Noto Serif CJK SC", sheet);
        // A quarter is a 季报, in a village scope titled by the village.
        var (_, quarter) = await _town.GetHtmlAsync("/reports/print?period=quarter&quarter=2026-Q4&unit=SCH-WJC");
        Assert.Contains("<h1>王家村2026年第4季度季报</h1>", quarter);
    }

    [Fact]
    public async Task AVillageCadre_SeesOnlyTheirVillage_AndCannotPickAnother()
    {
        var cadre = app.SharedClientAs("cadre-wjc");
        var (status, html) = await cadre.GetHtmlAsync("/reports?period=month&month=2026-11");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["SCH-WJC"], TableKeys(html, "village"));
        Assert.Equal(2, Figure(html, "registered"));
        Assert.DoesNotContain("<option value=\"SCH-MJC\"", html);
        Assert.DoesNotContain("<option value=\"SCH\"", html);
        Assert.Contains("<option value=\"SCH-WJC\"", html);

        var (refused, other) = await cadre.GetHtmlAsync("/reports?period=month&month=2026-11&unit=SCH-MJC");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("不在您的统计范围内", other);
        Assert.DoesNotContain("data-block=\"rates\"", other);

        var (_, print) = await cadre.GetHtmlAsync("/reports/print?period=month&month=2026-11");
        Assert.Equal(["SCH-WJC"], TableKeys(print, "village"));
    }

    [Fact]
    public async Task InEnglish_TheSameReport_WithEnglishLabels()
    {
        // A client of its own: the language is per request here, but a cookie must not carry it into the other tests.
        using var english = app.ClientAs("town");
        var (status, html) = await english.GetHtmlAsync("/reports?culture=en&period=month&month=2026-11");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Headline rates", html);
        Assert.Contains("Previous (", html);
        Assert.Equal(5, Figure(html, "registered"));
        Assert.DoesNotContain("reports-page.", html);

        var (_, print) = await english.GetHtmlAsync("/reports/print?culture=en&period=year&year=2026");
        Assert.Contains("annual report, 2026", print);
        Assert.Contains("Prepared by:", print);
        Assert.DoesNotContain("reports-page.", print);
    }

    [Fact]
    public async Task AnonymousReaders_AreSentToSignIn()
    {
        using var anonymous = app.AnonymousClient();
        foreach (var path in new[] { "/reports", "/reports/print?period=last-month" })
        {
            var (status, html) = await anonymous.GetHtmlAsync(path);
            Assert.DoesNotContain("data-block=\"rates\"", html);
            Assert.NotEqual(HttpStatusCode.InternalServerError, status);
        }
    }

    private static int Figure(string html, string key)
    {
        var m = Regex.Match(html, $"<tr data-figure=\"{key}\">\\s*<th scope=\"row\">[^<]*</th>\\s*<td class=\"num\" data-part=\"count\">\\s*(?:<a href=\"[^\"]*\">)?(?<n>\\d+)<");
        Assert.True(m.Success, $"figure {key} not on the page");
        return int.Parse(m.Groups["n"].Value);
    }

    private static string[] TableKeys(string html, string dimension)
    {
        var start = html.IndexOf($"data-table=\"{dimension}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"table {dimension} not on the page");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return Regex.Matches(html[start..end], "<tr data-key=\"(?<k>[^\"]*)\"").Select(m => m.Groups["k"].Value).ToArray();
    }

    private static JsonNode ChartData(string html)
    {
        var m = Regex.Match(html, "<script type=\"application/json\" id=\"report-charts\">(?<json>.*?)</script>", RegexOptions.Singleline);
        Assert.True(m.Success);
        return JsonNode.Parse(m.Groups["json"].Value)!;
    }
}

public sealed class ReportsPageTests_Sqlite(SqliteApp app) : ReportsPageTests(app), IClassFixture<SqliteApp>;

public sealed class ReportsPageTests_Postgres(PostgresApp app) : ReportsPageTests(app), IClassFixture<PostgresApp>;
