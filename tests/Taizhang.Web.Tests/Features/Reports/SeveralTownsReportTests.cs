using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// A report that spans several towns (a county's): a 按乡镇 table adds up each town's villages and lists its cases,
/// villages are named with their town (a county has many 马家村), and the page lists the first rows of a long table
/// (the .xlsx has them all). A town's own report has no town table.
/// </summary>
public abstract class SeveralTownsReportTests(TaizhangApp app) : IAsyncLifetime
{
    private readonly HttpClient _county = app.ClientAs("admin-county");
    private readonly HttpClient _town = app.SharedClientAs("town");
    private string _other = "";

    /// <summary>More villages than the page lists, each with one case.</summary>
    private const int Villages = 53;

    // The other town, its villages and cases: made once per app (each test of the class reads them).
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TaizhangApp, Task<string>> Made = new();

    public async Task InitializeAsync() => _other = await Made.GetValue(app, _ => MakeAsync());

    private async Task<string> MakeAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var other = "K" + suffix;
        Assert.Equal(HttpStatusCode.Created, (await _county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = other, name = "金山镇", kind = "Town", parent = "ZX" })).StatusCode);
        var clerk = "clerk-" + suffix.ToLowerInvariant();
        Assert.Equal(HttpStatusCode.Created, (await _county.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName = clerk, displayName = "金山镇受理员", password = TaizhangApp.Password,
            posts = new[] { new { role = "TownStaff", unit = other } },
        })).StatusCode);
        var otherClerk = await app.SignInClientAsync(clerk, TaizhangApp.Password);
        for (var i = 1; i <= Villages; i++)
        {
            // The first is named like the test town's 马家村.
            var name = i == 1 ? "马家村" : $"新{i}村";
            Assert.Equal(HttpStatusCode.Created, (await _county.PostAsJsonAsync("/api/v1/admin/org-units",
                new { code = $"{other}-V{i:00}", name, kind = "Village", parent = other })).StatusCode);
            await otherClerk.RegisterIdAsync(CaseApi.NewCase(title: $"金山镇的事{i}", orgUnit: $"{other}-V{i:00}"));
        }
        var ours = await _town.RegisterIdAsync(CaseApi.NewCase(title: "三岔镇马家村的事", orgUnit: "SCH-MJC"));
        await _town.DoAsync(ours, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var agency = await _town.RegisterIdAsync(CaseApi.NewCase(title: "三岔镇的纠纷", orgUnit: "SCH-MJC"));
        await _town.DoAsync(agency, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        return other;
    }

    private static string AssigneeName(JsonObject report, string unit) =>
        Rows(report, "assignee").Single(r => r!["key"]!.GetValue<string>() == unit)!["name"]!.GetValue<string>();

    private static string RankedName(JsonObject report, string unit) =>
        report["rankings"]!["rows"]!.AsArray().Single(r => r!["unit"]!["code"]!.GetValue<string>() == unit)!["unit"]!["name"]!.GetValue<string>();

    [Fact]
    public async Task OverSeveralTowns_AUnitIsNamedWithItsTown_InTheTablesAndTheRanking_UnlessItsNameSaysIt()
    {
        var town = await ReportFixture.GetOkAsync(_town, "/api/v1/reports?period=month");
        var county = await ReportFixture.GetOkAsync(_county, "/api/v1/reports?period=month");
        Assert.Equal("马家村", AssigneeName(town, "SCH-MJC"));
        Assert.Equal("马家村", RankedName(town, "SCH-MJC"));
        Assert.Equal("三岔镇·马家村", AssigneeName(county, "SCH-MJC"));
        Assert.Equal("三岔镇·马家村", RankedName(county, "SCH-MJC"));
        // 三岔司法所 already says its town.
        var agency = AssigneeName(town, "SCH-SFS");
        Assert.StartsWith("三岔", agency);
        Assert.Equal(agency, AssigneeName(county, "SCH-SFS"));
        Assert.Equal(agency, RankedName(county, "SCH-SFS"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonArray Rows(JsonObject report, string dimension) =>
        report["tables"]!.AsArray().Single(t => t!["dimension"]!.GetValue<string>() == dimension)!["rows"]!.AsArray();

    [Fact]
    public async Task TheCountysReport_HasATownTable_ThatAddsUpTheVillages_AndListsATownsCases()
    {
        var report = await ReportFixture.GetOkAsync(_county, "/api/v1/reports?period=month");
        var tables = report["tables"]!.AsArray().Select(t => t!["dimension"]!.GetValue<string>()).ToList();
        Assert.Equal("town", tables[0]);
        Assert.Equal("按乡镇（街道）", report["tables"]![0]!["name"]!.GetValue<string>());

        var towns = Rows(report, "town");
        var villages = Rows(report, "village");
        var other = towns.Single(r => r!["key"]!.GetValue<string>() == _other)!;
        Assert.Equal("金山镇", other["name"]!.GetValue<string>());
        Assert.Equal(Villages, other["registered"]!.GetValue<int>());
        // Every town's row is the sum of its villages' rows, and together they are the report's registered.
        foreach (var figure in new[] { "registered", "accepted", "handled", "followedUp", "satisfied" })
        {
            Assert.Equal(villages.Sum(v => v![figure]!.GetValue<int>()), towns.Sum(t => t![figure]!.GetValue<int>()));
        }
        Assert.Equal(ReportFixture.Figures(report)["registered"], towns.Sum(t => t!["registered"]!.GetValue<int>()));
        Assert.Equal(villages.Where(v => v!["key"]!.GetValue<string>().StartsWith("SCH-", StringComparison.Ordinal)).Sum(v => v!["registered"]!.GetValue<int>()),
            towns.Single(t => t!["key"]!.GetValue<string>() == "SCH")!["registered"]!.GetValue<int>());

        // Two 马家村, told apart by their towns.
        Assert.Equal("金山镇·马家村", villages.Single(v => v!["key"]!.GetValue<string>() == $"{_other}-V01")!["name"]!.GetValue<string>());
        Assert.Equal("三岔镇·马家村", villages.Single(v => v!["key"]!.GetValue<string>() == "SCH-MJC")!["name"]!.GetValue<string>());

        // The town's figure lists exactly its cases.
        var link = other["link"]!.GetValue<string>();
        Assert.Contains("dim=town", link);
        var cases = await ReportFixture.GetOkAsync(_county, "/api/v1" + link);
        Assert.Equal(Villages, cases["total"]!.GetValue<int>());
        Assert.Equal("按乡镇（街道）", cases["dimensionName"]!.GetValue<string>());
    }

    [Fact]
    public async Task ATownsReport_HasNoTownTable_AndNamesItsVillagesPlainly()
    {
        var report = await ReportFixture.GetOkAsync(_town, "/api/v1/reports?period=month");
        Assert.DoesNotContain(report["tables"]!.AsArray(), t => t!["dimension"]!.GetValue<string>() == "town");
        // Nor a village's, an agency's, or the county's report narrowed to a town.
        foreach (var (client, url) in new[] { (app.SharedClientAs("cadre"), "/api/v1/reports?period=month"), (app.SharedClientAs("agency"), "/api/v1/reports?period=month"),
            (_county, "/api/v1/reports?period=month&unit=SCH") })
        {
            var narrower = await ReportFixture.GetOkAsync(client, url);
            Assert.DoesNotContain(narrower["tables"]!.AsArray(), t => t!["dimension"]!.GetValue<string>() == "town");
        }
        Assert.Equal("马家村", Rows(report, "village").Single(v => v!["key"]!.GetValue<string>() == "SCH-MJC")!["name"]!.GetValue<string>());
        Assert.DoesNotContain(Rows(report, "village"), v => v!["key"]!.GetValue<string>().StartsWith(_other, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ThePage_ListsTheFirstRowsOfALongTable_AndTheXlsxHasThemAll()
    {
        var report = await ReportFixture.GetOkAsync(_county, "/api/v1/reports?period=month");
        var villages = Rows(report, "village");
        Assert.True(villages.Count > 50, $"{villages.Count} villages");

        var (status, html) = await _county.GetHtmlAsync("/reports?period=month");
        Assert.Equal(HttpStatusCode.OK, status);
        var section = html[html.IndexOf("data-table=\"village\"", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Equal(50, section.Split("<tr data-key=").Length - 1);
        Assert.Contains($"表中列出前 50 行，共 {villages.Count} 行。", section);
        Assert.Contains("href=\"/reports/export.xlsx?period=month\"", section);
        // The first rows are the table's first (most cases first).
        Assert.Contains($"<tr data-key=\"{villages[0]!["key"]!.GetValue<string>()}\"", section);
        Assert.DoesNotContain($"<tr data-key=\"{villages[^1]!["key"]!.GetValue<string>()}\"", section);
        // The town table is short: every row.
        var towns = html[html.IndexOf("data-table=\"town\"", StringComparison.Ordinal)..];
        towns = towns[..towns.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Equal(Rows(report, "town").Count, towns.Split("<tr data-key=").Length - 1);
        Assert.DoesNotContain("表中列出前", towns);

        using var xlsx = await _county.GetAsync("/reports/export.xlsx?period=month");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var book = Cases.ExportLedgerTests.Workbook.Read(await xlsx.Content.ReadAsByteArrayAsync());
        var sheet = book.Other("按村（社区）").Rows;
        Assert.Contains(sheet, r => r.Contains($"金山镇·新{Villages}村"));
        Assert.Contains(sheet, r => r.Contains("金山镇·马家村"));
        Assert.Contains(book.Other("按乡镇（街道）").Rows, r => r.Contains("金山镇"));
    }
}

public sealed class SeveralTownsReportTests_Sqlite(SqliteApp app) : SeveralTownsReportTests(app), IClassFixture<SqliteApp>;

public sealed class SeveralTownsReportTests_Postgres(PostgresApp app) : SeveralTownsReportTests(app), IClassFixture<PostgresApp>;

/// <summary>Which rows of a long table the page lists (<see cref="Taizhang.Web.Pages.Reports.ReportPage.Shown"/>).</summary>
public sealed class ShownRowsTests
{
    private static Taizhang.Web.Features.Reports.ReportRankings.Row Unit(int i, int? rank) => new(rank, new Taizhang.Web.Infrastructure.UnitRef($"U{i}", $"单位{i}"),
        rank is null ? 2 : 10, 0, null, null, null, 0, null, 0, 0, new Dictionary<string, int>(), 0, rank is null ? null : 100 - i * 0.01, rank is null, "");

    [Fact]
    public void ALongRanking_ListsItsTopAndItsLastRankedUnits_NotTheUnitsWithTooFewCases()
    {
        // 70 ranked units, then 40 with too few cases (as ReportRankings orders them).
        var rows = Enumerable.Range(1, 70).Select(i => Unit(i, i)).Concat(Enumerable.Range(71, 40).Select(i => Unit(i, null))).ToList();
        var (first, omitted, last, unranked) = Taizhang.Web.Pages.Reports.ReportPage.RankingRows(rows);
        Assert.Equal(Enumerable.Range(1, 30), first.Select(r => r.Rank!.Value));
        Assert.Equal(20, omitted);
        Assert.Equal(Enumerable.Range(51, 20), last.Select(r => r.Rank!.Value));
        Assert.Equal(40, unranked);

        // Few units: all of them, the unranked too, as before.
        var few = rows.Take(30).Concat(rows.TakeLast(5)).ToList();
        (first, omitted, last, unranked) = Taizhang.Web.Pages.Reports.ReportPage.RankingRows(few);
        Assert.Equal(few, first);
        Assert.Equal((0, 0), (omitted, unranked));
        Assert.Empty(last);
    }

    [Fact]
    public void AShortTable_IsListedWhole_ALongOne_ItsFirstRows_AndARanking_ItsTopAndItsLast()
    {
        var fifty = Enumerable.Range(1, 50).ToList();
        var (all, none, noTail) = Taizhang.Web.Pages.Reports.ReportPage.Shown(fifty, 20);
        Assert.Equal(fifty, all);
        Assert.Equal(0, none);
        Assert.Empty(noTail);

        var many = Enumerable.Range(1, 1000).ToList();
        var (first, omitted, last) = Taizhang.Web.Pages.Reports.ReportPage.Shown(many);
        Assert.Equal(Enumerable.Range(1, 50), first);
        Assert.Equal(950, omitted);
        Assert.Empty(last);

        (first, omitted, last) = Taizhang.Web.Pages.Reports.ReportPage.Shown(many, 20);
        Assert.Equal(Enumerable.Range(1, 30), first);
        Assert.Equal(950, omitted);
        Assert.Equal(Enumerable.Range(981, 20), last);
    }
}
