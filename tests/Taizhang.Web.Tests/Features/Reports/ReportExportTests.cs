using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Tests.Infrastructure;
using Workbook = Taizhang.Web.Tests.Features.Cases.ExportLedgerTests.Workbook;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// 统计报表 and 议题台账 as .xlsx, read back with the library that wrote them (the Open XML SDK): the
/// sheets, the frozen header under the title row, percentages stored as numbers with a percent format,
/// the figures equal to the JSON report's, and the caller's scope.
/// </summary>
public abstract class ReportExportTests(TaizhangApp app) : IAsyncLifetime
{
    private readonly HttpClient _town = app.ClientAs();

    private static readonly string[] Sheets =
        ["概况", "12345考核", "按村（社区）", "按承办单位", "按来源渠道", "按类别", "按紧急程度", "按办理方式", "趋势", "指标说明"];

    public async Task InitializeAsync()
    {
        if (await app.WithDbAsync(db => Task.FromResult(db.Cases.Any())))
        {
            return;
        }
        // October: the previous period.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 20, 2, 0, 0, TimeSpan.Zero));
        var october = await _town.RegisterIdAsync(CaseApi.NewCase(title: "十月的来电", orgUnit: "SCH-MJC"));
        await _town.DoAsync(october, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await _town.DoAsync(october, "resolve", new { outcome = "Solved", result = "已修复" });

        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 3, 2, 0, 0, TimeSpan.Zero));
        var solved = await _town.RegisterIdAsync(CaseApi.NewCase(title: "路灯不亮", orgUnit: "SCH-MJC"));
        var started = await _town.RegisterIdAsync(CaseApi.NewCase(title: "一组水渠堵塞", orgUnit: "SCH-MJC-1"));
        var explained = await _town.RegisterIdAsync(CaseApi.NewCase(title: "咨询社保政策", orgUnit: "SCH-WJC"));
        var rejected = await _town.RegisterIdAsync(CaseApi.NewCase(title: "不属于受理范围", orgUnit: "SCH-WJC"));
        foreach (var (id, unit) in new[] { (solved, "SCH-MJC"), (started, "SCH-MJC"), (explained, "SCH-WJC") })
        {
            await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = unit });
            await _town.DoAsync(id, "start");
        }
        app.Clock.Advance(TimeSpan.FromDays(1));
        await _town.DoAsync(solved, "resolve", new { outcome = "Solved", result = "已修复" });
        await _town.DoAsync(explained, "resolve", new { outcome = "Explained", result = "已解释政策" });
        await _town.DoAsync(solved, "follow-up", new { satisfaction = "Satisfied", note = "满意" });
        await _town.DoAsync(rejected, "reject", new { reason = "不属于受理范围" });
        app.Clock.SetUtcNow(TaizhangApp.Start);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TheReport_AsXlsx_HasTheSheets_FrozenHeaders_PercentagesAsNumbers_AndTheJsonReportsFigures()
    {
        var json = await JsonAsync(_town, "/api/v1/reports?month=2026-11");
        foreach (var url in new[] { "/reports/export.xlsx?month=2026-11", "/api/v1/reports/export.xlsx?month=2026-11" })
        {
            var book = await DownloadAsync(_town, url);
            // The rankings and the report's lists (overdue, suspended, supervised) between the tables and the trend.
            var lists = json["lists"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()).ToList();
            Assert.Equal(3, lists.Count);
            string[] expected = [.. Sheets[..8], "单位排名", .. lists, .. Sheets[8..]];
            Assert.Equal(expected, book.SheetNames);
            var ranking = book.Other("单位排名");
            var ranked = json["rankings"]!["rows"]!.AsArray();
            Assert.Equal(ranked.Count, ranking.Rows.Count - 2);
            for (var i = 0; i < ranked.Count; i++)
            {
                Assert.Equal(ranked[i]!["unit"]!["name"]!.GetValue<string>(), ranking.Rows[i + 2][1]);
                Assert.Equal(ranked[i]!["cases"]!.GetValue<int>(), Number(ranking, i + 2, 2));
                AssertPercent(ranking, i + 2, 3, ranked[i]!["handlingRate"]);
            }
            foreach (var name in expected)
            {
                var sheet = book.Other(name);
                var pane = sheet.Worksheet.Descendants<Pane>().Single();
                Assert.Equal(PaneStateValues.Frozen, pane.State!.Value);
                Assert.Equal(2, pane.VerticalSplit!.Value);
                Assert.Equal("A3", pane.TopLeftCell!.Value);
                Assert.Contains("2026年11月", sheet.Rows[0][0]);
                Assert.NotEmpty(sheet.Worksheet.Descendants<Column>());
            }

            var overview = book.Other("概况");
            Assert.Equal("本期（2026年11月）", overview.Rows[1][1]);
            Assert.Equal("上期（2026年10月）", overview.Rows[1][2]);
            foreach (var rate in json["rates"]!.AsArray())
            {
                var row = Find(overview, rate!["name"]!.GetValue<string>());
                AssertPercent(overview, row, 1, rate["value"]);
                AssertPercent(overview, row, 2, rate["previous"]);
                Assert.Equal(rate["numerator"]!.GetValue<int>(), Number(overview, row, 3));
                Assert.Equal(rate["denominator"]!.GetValue<int>(), Number(overview, row, 4));
            }
            foreach (var figure in json["figures"]!.AsArray())
            {
                Assert.Equal(figure!["count"]!.GetValue<int>(), Number(overview, Find(overview, figure["name"]!.GetValue<string>()), 1));
            }
            // Handling: 2 handled of 3 accepted in November (the rejected one is not accepted); October's
            // one case was handled: 100%.
            var handling = Find(overview, "办理率");
            Assert.Equal(2.0 / 3, Number(overview, handling, 1), 12);
            Assert.Equal(1.0, Number(overview, handling, 2), 12);

            var villages = book.Other("按村（社区）");
            var table = json["tables"]!.AsArray().Single(t => t!["dimension"]!.GetValue<string>() == "village")!["rows"]!.AsArray();
            Assert.Equal(table.Count + 1, villages.Rows.Count - 2); // and the total row
            for (var i = 0; i < table.Count; i++)
            {
                Assert.Equal(table[i]!["name"]!.GetValue<string>(), villages.Rows[i + 2][0]);
                Assert.Equal(table[i]!["registered"]!.GetValue<int>(), Number(villages, i + 2, 1));
                AssertPercent(villages, i + 2, 7, table[i]!["rates"]!["handling"]);
            }
            Assert.Equal("合计", villages.Rows[^1][0]);
            Assert.Equal(4, Number(villages, villages.Rows.Count - 1, 1));

            var assessment = book.Other("12345考核");
            var composite = Find(assessment, "综合得分");
            // The composite is a score out of 100, as on the page.
            Assert.Equal(Math.Round(json["assessment"]!["composite"]!.GetValue<double>() * 100, 1), Number(assessment, composite, 1), 12);
            Assert.Equal(0.5, Number(assessment, Find(assessment, "解决率权重"), 1), 12);

            var trend = book.Other("趋势");
            Assert.Equal(12, trend.Rows.Count - 2);
            Assert.Equal("2026-11", trend.Rows[^1][0]);
            Assert.Equal("2025-12", trend.Rows[2][0]);
            // The composite with its three parts, month by month, as the page's trend has them.
            var last = json["trends"]!.AsArray()[^1]!;
            foreach (var (column, value) in new[] { ("考核响应率", last["assessment"]!["response"]), ("考核解决率", last["assessment"]!["resolution"]),
                ("考核满意率", last["assessment"]!["satisfaction"]) })
            {
                AssertPercent(trend, trend.Rows.Count - 1, Array.IndexOf(trend.Rows[1], column), value);
            }
            Assert.Equal(Math.Round(last["composite"]!.GetValue<double>() * 100, 1), Number(trend, trend.Rows.Count - 1, Array.IndexOf(trend.Rows[1], "综合得分")), 12);

            var definitions = book.Other("指标说明");
            foreach (var rate in json["rates"]!.AsArray())
            {
                Assert.Equal(rate!["definition"]!.GetValue<string>(), definitions.Rows[Find(definitions, rate["name"]!.GetValue<string>())][1]);
            }
            var asOf = Find(definitions, "数据截至");
            Assert.Equal("yyyy-mm-dd hh:mm", definitions.NumberFormat(definitions.Cell(asOf, 1)));
            // November is running: as of now (26 November, 10:00 in Shanghai).
            Assert.Equal(new DateTime(2026, 11, 26, 10, 0, 0), DateTime.FromOADate(Number(definitions, asOf, 1)));
            Assert.Contains("2026-11-01 至 2026-11-26", definitions.Rows[Find(definitions, "报告期")][1]);
            Assert.Contains("0.9", definitions.Rows[Find(definitions, "考核权重")][1]);
        }
    }

    [Fact]
    public async Task AVillageCadresExport_HoldsOnlyTheirVillage()
    {
        var cadre = app.ClientAs("cadre");
        var json = await JsonAsync(cadre, "/api/v1/reports?month=2026-11");
        var book = await DownloadAsync(cadre, "/reports/export.xlsx?month=2026-11");
        var villages = book.Other("按村（社区）");
        Assert.Equal(["马家村", "合计"], villages.Rows.Skip(2).Select(r => r[0]).ToArray());
        var registered = json["figures"]!.AsArray().Single(f => f!["key"]!.GetValue<string>() == "registered")!["count"]!.GetValue<int>();
        Assert.Equal(2, registered);
        var overview = book.Other("概况");
        Assert.Equal(registered, Number(overview, Find(overview, "登记数"), 1));
        foreach (var name in book.SheetNames)
        {
            Assert.DoesNotContain(book.Other(name).Rows, r => r.Any(c => c.Contains("王家村", StringComparison.Ordinal)));
        }
        Assert.Contains("马家村", villages.Rows[0][0]);

        // Taken out of the app, into the audit trail (as the ledger's export): who, which period and scope.
        var audited = await app.WithDbAsync(db => db.AdminEvents.Where(e => e.Action == "reports.export").OrderBy(e => e.Id).ToListAsync());
        Assert.Contains(audited, e => e.ActorName == "马家村干部" && e.Target == "reports:export.xlsx" && e.Details!.Contains("month=2026-11"));
        var printed = await app.WithDbAsync(db => db.AdminEvents.CountAsync(e => e.Action == "reports.print"));
        Assert.Equal(HttpStatusCode.OK, (await cadre.GetAsync("/reports/print?month=2026-11")).StatusCode);
        Assert.Equal(printed + 1, await app.WithDbAsync(db => db.AdminEvents.CountAsync(e => e.Action == "reports.print")));

        // A village's report is named after it (several villages' downloads of one month are told apart).
        using var byVillage = await _town.GetAsync("/api/v1/reports/export.xlsx?month=2026-11&unit=SCH-MJC");
        Assert.Equal(HttpStatusCode.OK, byVillage.StatusCode);
        var disposition = byVillage.Content.Headers.ContentDisposition!;
        Assert.Equal("统计报表-2026年11月-马家村.xlsx", disposition.FileNameStar);
        Assert.Contains("SCH-MJC", disposition.FileName);
    }

    [Fact]
    public async Task ABadPeriodOrUnit_IsAFieldError_NeverAFile()
    {
        using (var api = await _town.GetAsync("/api/v1/reports/export.xlsx?month=2026-13&unit=NOPE"))
        {
            var problem = await api.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.True(problem.Errors().ContainsKey("month"));
        }
        var (status, html) = await _town.GetHtmlAsync("/reports/export.xlsx?period=year&year=1999");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("年份应为", html);
        Assert.Contains("/reports?period=year&amp;year=1999", html);
        using var anonymous = await app.AnonymousClient().GetAsync("/api/v1/reports/export.xlsx");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task TheTopicLedger_AsXlsx_HasATitleRow_AFrozenHeader_DatesAndPercentages_AndADefinitionsSheet()
    {
        // In September: outside the report's months above.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 9, 10, 2, 0, 0, TimeSpan.Zero));
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "村道拓宽（议题导出）", orgUnit: "SCH-WJC", category: "employment"));
        await _town.DoAsync(id, "triage", new { track = "Topic", urgency = "Low" });
        await _town.DoAsync(id, "deliberate", new { });
        using (var put = await _town.PutAsJsonAsync($"/api/v1/cases/{id}/plan", new
        {
            summary = "分两步",
            steps = new object[]
            {
                new { title = "测量", unit = "SCH-WJC", targetDate = "2026-12-03" },
                new { title = "施工", unit = "SCH", targetDate = "2026-12-20" },
            },
        }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        await _town.DoAsync(id, "plan/steps/1/progress", new { progress = 50, note = "测量过半" });
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var listed = (await JsonAsync(_town, "/api/v1/topics?q=" + Uri.EscapeDataString("村道拓宽（议题导出）")))["items"]![0]!;

        var book = await DownloadAsync(_town, "/api/v1/topics/export.xlsx");
        Assert.Equal(["议题台账", "栏目说明"], book.SheetNames);
        var sheet = book.Other("议题台账");
        Assert.Contains("议题台账（截至 2026-11-26 10:00）", sheet.Rows[0][0]);
        Assert.Equal("序号", sheet.Rows[1][0]);
        Assert.Equal("A3", sheet.Worksheet.Descendants<Pane>().Single().TopLeftCell!.Value);
        var row = sheet.RowWhere(2, "村道拓宽（议题导出）");
        var progress = sheet.Cell(row, 9);
        Assert.Null(progress.DataType);
        Assert.Equal(listed["plan"]!["overallProgress"]!.GetValue<int>() / 100.0, double.Parse(progress.CellValue!.Text, CultureInfo.InvariantCulture), 12);
        Assert.Equal("0.0%", sheet.NumberFormat(progress));
        var ledgered = sheet.Cell(row, 5);
        Assert.Equal("yyyy-mm-dd", sheet.NumberFormat(ledgered));
        Assert.Equal(new DateTime(2026, 9, 10), DateTime.FromOADate(double.Parse(ledgered.CellValue!.Text, CultureInfo.InvariantCulture)));
        Assert.Equal("yyyy-mm-dd", sheet.NumberFormat(sheet.Cell(row, 10)));

        var definitions = book.Other("栏目说明");
        Assert.Equal("办理方案的总进度（百分比）", definitions.Rows[Find(definitions, "总进度%")][1]);
        Assert.Equal("yyyy-mm-dd hh:mm", definitions.NumberFormat(definitions.Cell(Find(definitions, "数据截至"), 1)));
    }

    private static async Task<JsonObject> JsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}: {json}");
        return json;
    }

    private static async Task<Workbook> DownloadAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return Workbook.Read(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>The one row whose first cell is exactly <paramref name="name"/>.</summary>
    private static int Find(Workbook sheet, string name) =>
        sheet.Rows.FindIndex(r => r.Length > 0 && r[0] == name) is var i and >= 0 ? i : throw new Xunit.Sdk.XunitException($"no row {name}");

    private static double Number(Workbook sheet, int row, int column)
    {
        var cell = sheet.Cell(row, column);
        Assert.Null(cell.DataType); // a number, not text
        return double.Parse(cell.CellValue!.Text, CultureInfo.InvariantCulture);
    }

    private static void AssertPercent(Workbook sheet, int row, int column, JsonNode? expected)
    {
        var cell = sheet.Cell(row, column);
        Assert.Equal("0.0%", sheet.NumberFormat(cell));
        if (expected is null)
        {
            Assert.Null(cell.CellValue);
            return;
        }
        Assert.Equal(expected.GetValue<double>(), Number(sheet, row, column), 12);
    }
}

public sealed class ReportExportTests_Sqlite(SqliteApp app) : ReportExportTests(app), IClassFixture<SqliteApp>;

public sealed class ReportExportTests_Postgres(PostgresApp app) : ReportExportTests(app), IClassFixture<PostgresApp>;
