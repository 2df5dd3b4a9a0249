using System.Net;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>The monthly report: one month's cohort by village, the board's definitions, the ledger's counts.</summary>
public abstract class MonthlyReportTests(TaizhangApp app) : IAsyncLifetime
{
    private readonly HttpClient _town = app.ClientAs();

    public async Task InitializeAsync()
    {
        if ((await ReportAsync("month=2026-11"))["total"]!["registered"]!.GetValue<int>() > 0)
        {
            return;
        }
        // Last month: not in November's cohort.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 20, 2, 0, 0, TimeSpan.Zero));
        await _town.RegisterIdAsync(CaseApi.NewCase(title: "十月的来电", orgUnit: "SCH-MJC"));

        // November, Shanghai time: 1 Nov 00:30 local is 31 Oct 16:30 UTC.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 31, 16, 30, 0, TimeSpan.Zero));
        var solved = await _town.RegisterIdAsync(CaseApi.NewCase(title: "路灯不亮", orgUnit: "SCH-MJC"));
        var groupCase = await _town.RegisterIdAsync(CaseApi.NewCase(title: "一组水渠堵塞", orgUnit: "SCH-MJC-1"));
        var explained = await _town.RegisterIdAsync(CaseApi.NewCase(title: "咨询社保政策", orgUnit: "SCH-WJC"));
        var rejected = await _town.RegisterIdAsync(CaseApi.NewCase(title: "不属于受理范围", orgUnit: "SCH-WJC"));
        await _town.RegisterIdAsync(CaseApi.NewCase(title: "集镇垃圾", orgUnit: "SCH"));

        foreach (var id in new[] { solved, groupCase, explained })
        {
            await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
            await _town.DoAsync(id, "start");
        }
        app.Clock.Advance(TimeSpan.FromDays(1));
        await _town.DoAsync(solved, "resolve", new { outcome = "Solved", result = "已修复" });
        await _town.DoAsync(explained, "resolve", new { outcome = "Explained", result = "已解释政策" });
        app.Clock.Advance(TimeSpan.FromDays(1));
        await _town.DoAsync(solved, "follow-up", new { satisfaction = "Satisfied", note = "满意" });
        await _town.DoAsync(rejected, "reject", new { reason = "不属于受理范围" });
        app.Clock.SetUtcNow(TaizhangApp.Start);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task November_ByVillage_GroupsCountForTheirVillage_RatesAsDefined()
    {
        var report = await ReportAsync("month=2026-11");
        Assert.Equal("2026-11", report["month"]!.GetValue<string>());
        Assert.Equal("2026-11-30", report["to"]!.GetValue<string>());
        var rows = report["rows"]!.AsArray().ToDictionary(r => r!["unit"]!["code"]!.GetValue<string>(), r => r!);
        Assert.Equal(["SCH", "SCH-MJC", "SCH-WJC"], rows.Keys.Order().ToArray());

        var mjc = rows["SCH-MJC"]["figures"]!;
        Assert.Equal(2, mjc["registered"]!.GetValue<int>()); // its own case and its group's
        Assert.Equal(2, mjc["accepted"]!.GetValue<int>());
        Assert.Equal(1, mjc["handled"]!.GetValue<int>());
        Assert.Equal(1, mjc["solved"]!.GetValue<int>());
        Assert.Equal(1, mjc["followedUp"]!.GetValue<int>());
        Assert.Equal(1, mjc["resolvedOnce"]!.GetValue<int>());
        Assert.Equal(1.0, rows["SCH-MJC"]["rates"]!["followUp"]!["value"]!.GetValue<double>());
        Assert.Equal(1, mjc["satisfied"]!.GetValue<int>());
        Assert.Equal(0.5, rows["SCH-MJC"]["rates"]!["handling"]!["value"]!.GetValue<double>());

        var wjc = rows["SCH-WJC"]["figures"]!;
        Assert.Equal(2, wjc["registered"]!.GetValue<int>());
        Assert.Equal(1, wjc["accepted"]!.GetValue<int>()); // the rejected one is not accepted
        Assert.Equal(1, wjc["handled"]!.GetValue<int>());
        Assert.Equal(0, wjc["solved"]!.GetValue<int>()); // explained: handled, not solved
        Assert.Null(rows["SCH-WJC"]["rates"]!["satisfaction"]!["value"]); // no verdict yet

        var total = report["total"]!;
        Assert.Equal(5, total["registered"]!.GetValue<int>());
        Assert.Equal(4, total["accepted"]!.GetValue<int>());
        Assert.Equal(2, total["handled"]!.GetValue<int>());
        Assert.Equal(2, total["onTime"]!.GetValue<int>());
        var handling = report["totalRates"]!["handling"]!;
        Assert.Equal(2, handling["numerator"]!.GetValue<int>());
        Assert.Equal(4, handling["denominator"]!.GetValue<int>());
        Assert.Contains("办理率", report["definitions"]!["handling"]!.GetValue<string>());

        // The cohort is what the ledger lists for the same month.
        var ledger = await _town.ListAsync("from=2026-11-01&to=2026-11-30&pageSize=100");
        Assert.Equal(5, ledger["total"]!.GetValue<int>());
        Assert.Equal(1, (await ReportAsync("month=2026-10"))["total"]!["registered"]!.GetValue<int>());
    }

    [Fact]
    public async Task VillageCadre_SeesOnlyTheirVillage()
    {
        var report = await ReportAsync("month=2026-11", app.SharedClientAs("cadre-wjc"));
        Assert.Equal(["SCH-WJC"], report["rows"]!.AsArray().Select(r => r!["unit"]!["code"]!.GetValue<string>()).ToArray());
        Assert.Equal(2, report["total"]!["registered"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("month=2026-13")]
    [InlineData("month=November")]
    [InlineData("month=2027-01")]
    [InlineData("month=1999-12")]
    [InlineData("month=0001-01")]
    public async Task BadOrFutureMonth_Is400WithTheField(string query)
    {
        using var response = await _town.GetAsync("/api/v1/reports/monthly?" + query);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["month"], problem.Errors().Select(e => e.Key).ToArray());
    }

    [Fact]
    public async Task Anonymous_Is401()
    {
        using var response = await app.AnonymousClient().GetAsync("/api/v1/reports/monthly");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<JsonObject> ReportAsync(string query, HttpClient? client = null)
    {
        using var response = await (client ?? _town).GetAsync("/api/v1/reports/monthly?" + query);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToJsonString());
        return json;
    }
}

public sealed class MonthlyReportTests_Sqlite(SqliteApp app) : MonthlyReportTests(app), IClassFixture<SqliteApp>;

public sealed class MonthlyReportTests_Postgres(PostgresApp app) : MonthlyReportTests(app), IClassFixture<PostgresApp>;
