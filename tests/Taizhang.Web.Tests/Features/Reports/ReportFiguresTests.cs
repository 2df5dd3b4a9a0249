using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Calendar;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Reports;

/// <summary>
/// A hand-made fixture where every figure is known: November 2026 (closed, as of its end) and
/// December up to the 10th (running). Each case is commented with what it is there to test.
/// </summary>
public static class ReportFixture
{
    /// <summary>"Now" for these tests: Thursday 2026-12-10 10:00 in Shanghai.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 10, 2, 0, 0, TimeSpan.Zero);

    /// <summary>The November cases' registration: 2026-11-10 10:00 in Shanghai; urgent, so due a day later.</summary>
    public static readonly DateTimeOffset B = new(2026, 11, 10, 2, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset D = new(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);

    public sealed record Ids(IReadOnlyDictionary<string, long> Case)
    {
        public long this[string name] => Case[name];

        public long[] Of(params string[] names) => names.Select(n => Case[n]).Order().ToArray();
    }

    private static readonly ConditionalWeakTable<TaizhangApp, Task<Ids>> Built = new();

    public static Task<Ids> BuildAsync(TaizhangApp app) => Built.GetValue(app, a => BuildOnceAsync(a));

    private static readonly Actor Tester = new(ActorKind.System, "test", "测试");

    /// <summary>The responsible unit, who asks for time (the decision is <see cref="Tester"/>'s: nobody decides their own request).</summary>
    private static readonly Actor Unit = new(ActorKind.User, "test-unit", "承办人");

    /// <summary>Drives a domain method the API does not offer (yet) through the DbContext, at the app's clock.</summary>
    public static async Task DomainAsync(TaizhangApp app, long id, Action<Case, DuePolicy, DateTime> act)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var due = scope.ServiceProvider.GetRequiredService<DuePolicy>();
        var c = await db.Cases.Include(x => x.Reporters).SingleAsync(x => x.Id == id);
        act(c, due, app.Clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync();
    }

    private static async Task<Ids> BuildOnceAsync(TaizhangApp app)
    {
        var town = app.ClientAs("town");
        var ids = new Dictionary<string, long>();
        async Task Register(string name, string unit) =>
            ids[name] = await town.RegisterIdAsync(CaseApi.NewCase(title: "报表测试 " + name, orgUnit: unit, urgency: "Urgent", phone: null));
        async Task Assign(string name, string unit) =>
            await town.DoAsync(ids[name], "triage", new { track = "Direct", urgency = "Urgent", assigneeUnit = unit });
        void At(DateTimeOffset t) => app.Clock.SetUtcNow(t);
        var window = TimeSpan.FromHours(24);
        Task Domain(string name, Action<Case, DuePolicy, DateTime> act) => DomainAsync(app, ids[name], act);

        // October: outside both periods.
        At(new DateTimeOffset(2026, 10, 20, 2, 0, 0, TimeSpan.Zero));
        await Register("O1", "SCH-MJC");

        At(B);
        await Register("N1", "SCH-MJC");   // on time, satisfied, solved by the resident's word, contacted in time
        await Register("N2", "SCH-MJC");   // late, basically satisfied, not solved in the resident's word, contacted late
        await Register("N3", "SCH-WJC");   // resolved, unsatisfied (reopened: redo), resolved again (explained)
        await Register("N4", "SCH-WJC");   // rejected
        await Register("N5", "SCH-MJC");   // merged into N6
        await Register("N6", "SCH-MJC");   // extension approved; open and overdue at the end of November; reminded; red card
        await Register("N7", "SCH-WJC");   // extension refused, resolved late
        await Register("N8", "SCH-MJC");   // suspended, resumed, resolved on time because the due date moved; satisfied
        await Register("N9", "SCH-WJC");   // returned by the police station
        await Register("N10", "SCH");      // triaged, never assigned
        await Register("N11", "SCH-MJC-1"); // a group's case, left registered (counts for its village)
        await Register("N12", "SCH-MJC");  // resolved in December: unresolved in November's figures; yellow card; notice
        await Register("N13", "SCH-WJC");  // transferred from the village to the justice office, resolved on time
        foreach (var (name, unit) in new[] { ("N1", "SCH-MJC"), ("N2", "SCH-MJC"), ("N3", "SCH-SFS"), ("N6", "SCH-MJC"), ("N7", "SCH-SFS"),
                     ("N8", "SCH-MJC"), ("N9", "SCH-PCS"), ("N12", "SCH-SFS"), ("N13", "SCH-MJC") })
        {
            await Assign(name, unit);
        }
        await town.DoAsync(ids["N10"], "triage", new { track = "Direct", urgency = "Urgent" });
        await town.DoAsync(ids["N4"], "reject", new { reason = "不属于受理范围" });
        await town.DoAsync(ids["N5"], "merge", new { into = ids["N6"], reason = "同一事项" });

        At(B.AddMinutes(30));
        await Domain("N8", (c, d, at) => c.Contact("已电话联系", window, Tester, at));
        At(B.AddHours(1));
        await Domain("N1", (c, d, at) => c.Contact("已电话联系", window, Tester, at));
        await town.DoAsync(ids["N9"], "return", new { reason = "不属于本单位职责" });
        await town.DoAsync(ids["N13"], "transfer", new { toUnit = "SCH-SFS", reason = "涉及调解" });
        await Domain("N8", (c, d, at) => c.RequestSuspension("等待法院判决", Unit, at));
        At(B.AddHours(2));
        await town.DoAsync(ids["N1"], "resolve", new { outcome = "Solved", result = "已修复" });
        await town.DoAsync(ids["N3"], "resolve", new { outcome = "Solved", result = "已处理" });
        await Domain("N6", (c, d, at) => c.RequestExtension(new DateOnly(2026, 11, 20), "需协调多个部门", d, Unit, at));
        await Domain("N7", (c, d, at) => c.RequestExtension(new DateOnly(2026, 11, 20), "人手不足", d, Unit, at));
        await Domain("N8", (c, d, at) => c.DecideSuspension(true, null, false, Tester, at));
        At(B.AddHours(3));
        await Domain("N6", (c, d, at) => c.DecideExtension(true, null, false, Tester, at));
        await Domain("N7", (c, d, at) => c.DecideExtension(false, "理由不充分", false, Tester, at));
        await town.DoAsync(ids["N13"], "resolve", new { outcome = "Solved", result = "已调解" });
        At(B.AddHours(5));
        await Domain("N3", (c, d, at) => c.FollowUp(Satisfaction.Unsatisfied, "不满意", d, Tester, at, resolvedByResident: false));
        At(B.AddHours(6));
        await town.DoAsync(ids["N3"], "assign", new { unit = "SCH-SFS" });
        At(B.AddHours(10));
        await town.DoAsync(ids["N3"], "resolve", new { outcome = "Explained", result = "已解释" });
        At(B.AddDays(1));
        await Domain("N1", (c, d, at) => c.FollowUp(Satisfaction.Satisfied, null, d, Tester, at, resolvedByResident: true));
        await Domain("N12", (c, d, at) => c.Supervise(SupervisionLevel.Yellow, new DateOnly(2026, 11, 15), "尽快办理", d, Tester, at));
        At(B.AddHours(30));
        await Domain("N2", (c, d, at) => c.Contact("已联系", window, Tester, at));
        At(B.AddDays(2));
        await town.DoAsync(ids["N2"], "resolve", new { outcome = "Solved", result = "已修复" });
        await town.DoAsync(ids["N7"], "resolve", new { outcome = "Solved", result = "已修复" });
        await Domain("N6", (c, d, at) => c.Remind("请按期办理", false, Tester, at));
        await Domain("N12", (c, d, at) => c.Notify("已超期，通报", false, Tester, at));
        At(B.AddDays(3));
        await Domain("N2", (c, d, at) => c.FollowUp(Satisfaction.BasicallySatisfied, null, d, Tester, at, resolvedByResident: false));
        await Domain("N6", (c, d, at) => c.Supervise(SupervisionLevel.Red, new DateOnly(2026, 11, 20), "红牌督办", d, Tester, at));
        // Supervised red again to move its deadline: still one red case against its unit (10 points, not 20).
        await Domain("N6", (c, d, at) => c.Supervise(SupervisionLevel.Red, new DateOnly(2026, 11, 22), "红牌督办，期限调整", d, Tester, at));
        // Suspended four whole days (and an hour): the due date moves four days, past the resolution.
        At(B.AddDays(4).AddHours(3));
        await Domain("N8", (c, d, at) => c.Resume("判决已出", Tester, at));
        At(B.AddDays(4).AddHours(4));
        await town.DoAsync(ids["N8"], "resolve", new { outcome = "Solved", result = "已执行" });
        At(B.AddDays(5));
        await Domain("N8", (c, d, at) => c.FollowUp(Satisfaction.Satisfied, null, d, Tester, at, resolvedByResident: true));

        At(D);
        await Register("D1", "SCH-MJC"); // resolved on time, satisfied, contacted in time
        await Register("D2", "SCH-WJC"); // open, yellow card (supervised now), overdue now
        await Register("D3", "SCH-MJC"); // suspended now
        await Register("D4", "SCH-WJC"); // rejected
        await Assign("D1", "SCH-MJC");
        await Assign("D2", "SCH-SFS");
        await Assign("D3", "SCH-MJC");
        await town.DoAsync(ids["D4"], "reject", new { reason = "重复反映" });
        At(D.AddHours(1));
        await Domain("D1", (c, d, at) => c.Contact("已联系", window, Tester, at));
        await Domain("D2", (c, d, at) => c.Supervise(SupervisionLevel.Yellow, new DateOnly(2026, 12, 5), "尽快办理", d, Tester, at));
        await Domain("D3", (c, d, at) => c.RequestSuspension("等待资金", Unit, at));
        At(D.AddHours(2));
        await town.DoAsync(ids["D1"], "resolve", new { outcome = "Solved", result = "已修复" });
        await Domain("D3", (c, d, at) => c.DecideSuspension(true, null, false, Tester, at));
        At(D.AddDays(1));
        await Domain("D1", (c, d, at) => c.FollowUp(Satisfaction.Satisfied, null, d, Tester, at, resolvedByResident: true));
        await town.DoAsync(ids["N12"], "resolve", new { outcome = "Solved", result = "已修复" });

        At(Now);
        return new Ids(ids);
    }

    /// <summary>November's figures as of its end, counted by hand from the comments above.</summary>
    public static readonly IReadOnlyDictionary<string, int> November = new Dictionary<string, int>
    {
        ["registered"] = 13, ["accepted"] = 11, ["handled"] = 6, ["solved"] = 5, ["on-time"] = 4, ["resolved-once"] = 6,
        ["followed-up"] = 4, ["satisfied"] = 3, ["fully-satisfied"] = 2, ["basically-satisfied"] = 1, ["responded"] = 2,
        ["assigned-once"] = 9, ["returned"] = 1, ["redone"] = 1, ["followed-up-responded"] = 2, ["resident-solved"] = 2,
    };

    /// <summary>The cases behind each of November's figures.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> NovemberCases = new Dictionary<string, string[]>
    {
        ["registered"] = ["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9", "N10", "N11", "N12", "N13"],
        ["accepted"] = ["N1", "N2", "N3", "N6", "N7", "N8", "N9", "N10", "N11", "N12", "N13"],
        ["handled"] = ["N1", "N2", "N3", "N7", "N8", "N13"],
        ["solved"] = ["N1", "N2", "N7", "N8", "N13"],
        ["on-time"] = ["N1", "N3", "N8", "N13"],
        ["resolved-once"] = ["N1", "N2", "N3", "N7", "N8", "N13"],
        ["followed-up"] = ["N1", "N2", "N3", "N8"],
        ["satisfied"] = ["N1", "N2", "N8"],
        ["fully-satisfied"] = ["N1", "N8"],
        ["basically-satisfied"] = ["N2"],
        ["responded"] = ["N1", "N8"],
        ["assigned-once"] = ["N1", "N2", "N3", "N6", "N7", "N8", "N9", "N12", "N13"],
        ["returned"] = ["N9"],
        ["redone"] = ["N3"],
        ["followed-up-responded"] = ["N1", "N8"],
        ["resident-solved"] = ["N1", "N8"],
        ["overdue"] = ["N6", "N9", "N10", "N11", "N12"],
    };

    public static readonly IReadOnlyDictionary<string, int> December = new Dictionary<string, int>
    {
        ["registered"] = 4, ["accepted"] = 3, ["handled"] = 1, ["solved"] = 1, ["on-time"] = 1, ["resolved-once"] = 1,
        ["followed-up"] = 1, ["satisfied"] = 1, ["fully-satisfied"] = 1, ["basically-satisfied"] = 0, ["responded"] = 1,
        ["assigned-once"] = 3, ["returned"] = 0, ["redone"] = 0, ["followed-up-responded"] = 1, ["resident-solved"] = 1,
    };

    public static Dictionary<string, int> Figures(JsonObject report) =>
        report["figures"]!.AsArray().ToDictionary(f => f!["key"]!.GetValue<string>(), f => f!["count"]!.GetValue<int>());

    public static JsonObject Rate(JsonObject report, string key) =>
        report["rates"]!.AsArray().Single(r => r!["key"]!.GetValue<string>() == key)!.AsObject();

    public static async Task<JsonObject> GetOkAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode} {json}");
        return json;
    }

    /// <summary>Every id behind a figure, through all the pages.</summary>
    public static async Task<long[]> CaseIdsAsync(HttpClient client, string query)
    {
        var ids = new List<long>();
        for (var page = 1; ; page++)
        {
            var json = await GetOkAsync(client, "/api/v1/reports/cases?" + query + "&page=" + page);
            var items = json["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).ToArray();
            ids.AddRange(items);
            if (ids.Count >= json["total"]!.GetValue<int>() || items.Length == 0)
            {
                Assert.Equal(json["total"]!.GetValue<int>(), ids.Count);
                return [.. ids];
            }
        }
    }
}

/// <summary>The report's figures, rates, 12345 scheme, cases behind each figure, rankings, lists and scope, on the fixture.</summary>
public abstract class ReportFiguresTests(TaizhangApp app) : IAsyncLifetime
{
    private ReportFixture.Ids _ids = null!;
    private HttpClient Town => app.SharedClientAs("town");

    public async Task InitializeAsync()
    {
        _ids = await ReportFixture.BuildAsync(app);
        app.Clock.SetUtcNow(ReportFixture.Now);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task LastMonth_EveryFigureAndRate_AsHandCounted()
    {
        var report = await ReportFixture.GetOkAsync(Town, "/api/v1/reports?period=last-month");
        Assert.Equal("2026-11-01", report["from"]!.GetValue<string>());
        Assert.True(report["closed"]!.GetValue<bool>());
        Assert.Equal(ReportFixture.November, ReportFixture.Figures(report));

        void AssertRate(string key, int numerator, int denominator)
        {
            var rate = ReportFixture.Rate(report, key);
            Assert.Equal((numerator, denominator), (rate["numerator"]!.GetValue<int>(), rate["denominator"]!.GetValue<int>()));
            Assert.Equal((double)numerator / denominator, rate["value"]!.GetValue<double>(), 10);
            Assert.False(string.IsNullOrWhiteSpace(rate["definition"]!.GetValue<string>()));
        }
        AssertRate("handling", 6, 11);
        AssertRate("resolution", 5, 6);
        AssertRate("on-time", 4, 6);
        AssertRate("satisfaction", 3, 4);
        AssertRate("follow-up", 4, 6);
        AssertRate("response", 2, 11);
        AssertRate("return", 1, 9);
        AssertRate("redo", 1, 6);

        // 12345: over the 4 followed-up cases; 基本满意 weighs 0.9; composite 0.1/0.5/0.4.
        var a = report["assessment"]!;
        Assert.Equal(4, a["followedUp"]!.GetValue<int>());
        Assert.Equal(0.5, a["response"]!.GetValue<double>(), 10);
        Assert.Equal(0.5, a["resolution"]!.GetValue<double>(), 10);
        Assert.Equal((2 + 0.9 * 1) / 4, a["satisfaction"]!.GetValue<double>(), 10);
        Assert.Equal(0.1 * 0.5 + 0.5 * 0.5 + 0.4 * 0.725, a["composite"]!.GetValue<double>(), 10);

        var village = report["tables"]!.AsArray().Single(t => t!["dimension"]!.GetValue<string>() == "village")!["rows"]!.AsArray()
            .ToDictionary(r => r!["key"]!.GetValue<string>(), r => r!["registered"]!.GetValue<int>());
        Assert.Equal(new Dictionary<string, int> { ["SCH-MJC"] = 7, ["SCH-WJC"] = 5, ["SCH"] = 1 }, village);
    }

    [Fact]
    public async Task ThisMonth_AsOfNow_WithLastMonthBeside_AndTheTrend()
    {
        var report = await ReportFixture.GetOkAsync(Town, "/api/v1/reports?month=2026-12");
        Assert.False(report["closed"]!.GetValue<bool>());
        Assert.Equal(ReportFixture.December, ReportFixture.Figures(report));
        var handling = ReportFixture.Rate(report, "handling");
        Assert.Equal(1.0 / 3, handling["value"]!.GetValue<double>(), 10);
        Assert.Equal(6.0 / 11, handling["previous"]!.GetValue<double>(), 10);
        var trends = report["trends"]!.AsArray();
        Assert.Equal(12, trends.Count);
        var november = trends.Single(t => t!["month"]!.GetValue<string>() == "2026-11")!;
        Assert.Equal(13, november["registered"]!.GetValue<int>());
        Assert.Equal(6.0 / 11, november["rates"]!["handling"]!.GetValue<double>(), 10);
        Assert.Equal(0.59, november["composite"]!.GetValue<double>(), 10);
        Assert.Equal(1, trends.Single(t => t!["month"]!.GetValue<string>() == "2026-10")!["registered"]!.GetValue<int>());
    }

    [Fact]
    public async Task EveryFigure_ListsExactlyItsCases_NewestFirst()
    {
        var report = await ReportFixture.GetOkAsync(Town, "/api/v1/reports?month=2026-11");
        foreach (var (key, names) in ReportFixture.NovemberCases)
        {
            var ids = await ReportFixture.CaseIdsAsync(Town, "month=2026-11&figure=" + key);
            Assert.True(_ids.Of(names).SequenceEqual(ids.Order()), $"{key}: {string.Join(",", ids)}");
            if (key != "overdue")
            {
                Assert.Equal(ReportFixture.Figures(report)[key], ids.Length);
            }
            // Newest first: same registration instant, so by id descending.
            Assert.Equal(ids.OrderDescending(), ids);
        }
        // Every figure's link on the report is the page of exactly these.
        var link = report["figures"]!.AsArray().Single(f => f!["key"]!.GetValue<string>() == "handled")!["link"]!.GetValue<string>();
        Assert.StartsWith("/reports/cases?month=2026-11&figure=handled", link);

        // A breakdown row: the justice office's handled cases as of then (N13 was transferred to it).
        Assert.Equal(_ids.Of("N3", "N7", "N13"), (await ReportFixture.CaseIdsAsync(Town, "month=2026-11&figure=handled&dim=assignee&value=SCH-SFS")).Order());
        Assert.Equal(7, (await ReportFixture.CaseIdsAsync(Town, "month=2026-11&figure=registered&dim=village&value=SCH-MJC")).Length);
        foreach (var f in ReportFixture.December)
        {
            Assert.Equal(f.Value, (await ReportFixture.CaseIdsAsync(Town, "month=2026-12&figure=" + f.Key)).Length);
        }
    }

    /// <summary>
    /// A walk-through: the ranking's bars said "84" where the table said "84.00", and a 12345 composite of 46.0 beside
    /// 100 % rates puzzled readers without the three parts it is made of.
    /// </summary>
    [Fact]
    public async Task ThePage_ScoresTheRankingAsItsChartDoes_AndShowsTheCompositesParts()
    {
        var (_, html) = await Town.GetHtmlAsync("/reports?period=month&month=2026-11");
        var m = System.Text.RegularExpressions.Regex.Match(html, "<script type=\"application/json\" id=\"report-charts\">(?<json>.*?)</script>",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        var charts = JsonNode.Parse(m.Groups["json"].Value)!;

        // The ranked units' scores: the chart's bar labels are the table's cells (one decimal).
        var ranking = charts["ranking"]!;
        Assert.Equal(["70.0", "45.0"], ranking["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ToArray());
        Assert.Equal([70.0, 45.0], ranking["values"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray());
        var table = html[html.IndexOf("data-table=\"ranking\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        foreach (var (code, score) in new[] { ("SCH-MJC", "70.0"), ("SCH-SFS", "45.0") })
        {
            var row = table[table.IndexOf($"data-key=\"{code}\"", StringComparison.Ordinal)..];
            row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
            Assert.EndsWith($"<td class=\"num\">{score}</td>", row.TrimEnd());
        }

        // The trend's composite with the three parts it is made of, in the table and in the chart's tooltip alike.
        var november = html[html.IndexOf("<tr data-month=\"2026-11\">", StringComparison.Ordinal)..];
        november = november[..november.IndexOf("</tr>", StringComparison.Ordinal)];
        var cell = System.Text.RegularExpressions.Regex.Match(november,
            "<td class=\"num composite\">(?<c>[0-9.]+)<span class=\"parts\" data-parts>考核口径：响应 (?<r>[0-9.]+)% · 解决 (?<s>[0-9.]+)% · 满意 (?<sat>[0-9.]+)%</span></td>");
        Assert.True(cell.Success, november);
        double N(string g) => double.Parse(cell.Groups[g].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(N("c"), 0.1 * N("r") + 0.5 * N("s") + 0.4 * N("sat"), 0.1);
        var months = charts["trend"]!["months"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
        var parts = charts["trend"]!["compositeParts"]!.AsArray()[months.IndexOf("2026-11")]!.GetValue<string>();
        Assert.Contains(parts, november);

        // In English: the period's name, and the built-in outcome measures.
        using var english = app.ClientAs("town");
        var (_, en) = await english.GetHtmlAsync("/reports?culture=en&period=month&month=2026-11");
        Assert.Contains("data-period=\"November 2026\"", en);
        Assert.Contains("October 2026", en);
        Assert.Contains("response ", en[en.IndexOf("<tr data-month=\"2026-11\">", StringComparison.Ordinal)..]);
        Assert.Contains("data-measure=\"jobs\">Jobs created: 0 people</li>", en);
        Assert.DoesNotContain("带动就业", en);
    }

    [Fact]
    public async Task Rankings_ByUnit_WithPointsAndTooFewCases()
    {
        var report = await ReportFixture.GetOkAsync(Town, "/api/v1/reports?month=2026-11");
        var rankings = report["rankings"]!;
        Assert.Equal(4, rankings["minCases"]!.GetValue<int>());
        Assert.Equal(10, rankings["points"]!["Red"]!.GetValue<int>());
        var rows = rankings["rows"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(["SCH-MJC", "SCH-SFS", "SCH-PCS"], rows.Select(r => r["unit"]!["code"]!.GetValue<string>()).ToArray());

        var mjc = rows[0];
        Assert.Equal(1, mjc["rank"]!.GetValue<int>());
        Assert.Equal(4, mjc["cases"]!.GetValue<int>());
        Assert.Equal(5, mjc["assignedCases"]!.GetValue<int>());
        Assert.Equal(0.75, mjc["handlingRate"]!.GetValue<double>(), 10);
        Assert.Equal(2.0 / 3, mjc["onTimeRate"]!.GetValue<double>(), 10);
        Assert.Equal(1.0, mjc["satisfactionRate"]!.GetValue<double>(), 10);
        Assert.Equal(0.0, mjc["returnRate"]!.GetValue<double>(), 10);
        Assert.Equal(1, mjc["reminders"]!.GetValue<int>());
        Assert.Equal(10, mjc["supervisionPoints"]!.GetValue<int>());
        Assert.Equal(70.0, mjc["score"]!.GetValue<double>(), 10);

        var sfs = rows[1];
        Assert.Equal(2, sfs["rank"]!.GetValue<int>());
        Assert.Equal(4, sfs["cases"]!.GetValue<int>());
        Assert.Equal(4, sfs["assignedCases"]!.GetValue<int>());
        Assert.Equal(0.0, sfs["satisfactionRate"]!.GetValue<double>(), 10);
        Assert.Equal(1, sfs["notices"]!.GetValue<int>());
        Assert.Equal(5, sfs["supervisionPoints"]!.GetValue<int>());
        Assert.Equal(45.0, sfs["score"]!.GetValue<double>(), 10);

        var pcs = rows[2];
        Assert.True(pcs["tooFewCases"]!.GetValue<bool>());
        Assert.Null(pcs["rank"]);
        Assert.Equal(1, pcs["returns"]!.GetValue<int>());
        Assert.Equal(1.0, pcs["returnRate"]!.GetValue<double>(), 10);

        // The "by responsible unit" table counts a unit's returns as the rankings do: those it made (N9, returned by the
        // police station and waiting for triage again, is not the return rate of whoever holds it next).
        var byUnit = report["tables"]!.AsArray().Single(t => t!["dimension"]!.GetValue<string>() == "assignee")!["rows"]!.AsArray()
            .ToDictionary(r => r!["key"]!.GetValue<string>(), r => r!["rates"]!["return"]);
        foreach (var row in rows.Where(r => byUnit.ContainsKey(r["unit"]!["code"]!.GetValue<string>())))
        {
            Assert.Equal(row["returnRate"]?.GetValue<double>(), byUnit[row["unit"]!["code"]!.GetValue<string>()]?.GetValue<double>());
        }
        Assert.Equal(2, rows.Count(r => byUnit.ContainsKey(r["unit"]!["code"]!.GetValue<string>())));
        // N9 waits unassigned: no unit made a return there (counted by the case it held then, this row read 100 %).
        Assert.Null(byUnit[""]);
    }

    [Fact]
    public async Task Lists_AsOfTheEndOfAClosedMonth_AsOfNowForTheRunningOne()
    {
        long[] Items(JsonObject list) => [.. list["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()).Order()];
        // November as of its end, for the town (persisted with its figures) and for a village (replayed): overdue then;
        // none suspended then (N8 was resumed in November); N6 and N12 under supervision then (N12 is resolved now, and
        // D2, supervised now, is December's).
        foreach (var (query, overdue, supervised) in new[]
        {
            ("month=2026-11", ReportFixture.NovemberCases["overdue"], new[] { "N6", "N12" }),
            ("month=2026-11&unit=SCH-MJC", ["N6", "N11", "N12"], ["N6", "N12"]),
        })
        {
            var closed = await ReportFixture.GetOkAsync(Town, "/api/v1/reports?" + query);
            var lists = closed["lists"]!.AsArray().ToDictionary(l => l!["key"]!.GetValue<string>(), l => l!.AsObject());
            Assert.Equal(["overdue", "suspended", "supervised"], lists.Keys);
            Assert.Equal(overdue.Length, lists["overdue"]["total"]!.GetValue<int>());
            Assert.Equal(_ids.Of(overdue), Items(lists["overdue"]));
            Assert.Equal(0, lists["suspended"]["total"]!.GetValue<int>());
            Assert.Equal(_ids.Of(supervised), Items(lists["supervised"]));
            foreach (var (key, list) in lists)
            {
                // Each list's link lists exactly its cases, as of then.
                Assert.Equal($"/reports/cases?{query}&figure={key}", list["link"]!.GetValue<string>());
                Assert.Equal(Items(list), (await ReportFixture.CaseIdsAsync(Town, query + "&figure=" + key)).Order());
            }
        }

        var running = await ReportFixture.GetOkAsync(Town, "/api/v1/reports?month=2026-12&unit=SCH-MJC");
        var now = running["lists"]!.AsArray().ToDictionary(l => l!["key"]!.GetValue<string>(), l => l!.AsObject());
        // Now, in the village: N6, N11 (its group), O1 — N12 is resolved, D3 suspended.
        Assert.Equal(_ids.Of("N6", "N11", "O1"), Items(now["overdue"]));
        Assert.Equal("/cases?orgUnit=SCH-MJC&overdue=true", now["overdue"]["link"]!.GetValue<string>());
        Assert.Equal([_ids["D3"]], Items(now["suspended"]));
        Assert.Equal("/cases?orgUnit=SCH-MJC&suspended=true", now["suspended"]["link"]!.GetValue<string>());
        Assert.Equal(_ids.Of("N6"), Items(now["supervised"]));
    }

    [Fact]
    public async Task VillageCadre_OnlyTheirVillage_OnEveryReportEndpoint()
    {
        var cadre = app.SharedClientAs("cadre");
        var mjc = _ids.Of("N1", "N2", "N5", "N6", "N8", "N11", "N12");
        var report = await ReportFixture.GetOkAsync(cadre, "/api/v1/reports?month=2026-11");
        Assert.Equal(7, ReportFixture.Figures(report)["registered"]);
        Assert.Equal(mjc, (await ReportFixture.CaseIdsAsync(cadre, "month=2026-11&figure=registered")).Order());
        var monthly = await ReportFixture.GetOkAsync(cadre, "/api/v1/reports/monthly?month=2026-11");
        Assert.Equal(7, monthly["total"]!["registered"]!.GetValue<int>());
        Assert.Equal(["SCH-MJC"], monthly["rows"]!.AsArray().Select(r => r!["unit"]!["code"]!.GetValue<string>()).ToArray());
        Assert.All(report["lists"]!.AsArray().SelectMany(l => l!["items"]!.AsArray()),
            i => Assert.Contains(i!["id"]!.GetValue<long>(), mjc.Concat(_ids.Of("D1", "D3", "O1"))));

        // Another village's code: refused on the field (a report titled 王家村 would hold none of it), never its cases.
        foreach (var path in new[] { "/api/v1/reports?month=2026-11&unit=SCH-WJC", "/api/v1/reports/cases?month=2026-11&unit=SCH-WJC&figure=registered",
            "/api/v1/reports/export.xlsx?month=2026-11&unit=SCH-WJC" })
        {
            using var refused = await cadre.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("\"unit\"", await refused.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AgencyHandler_OnlyTheCasesOfTheirUnit()
    {
        var agency = app.SharedClientAs("agency");
        var theirs = _ids.Of("N3", "N7", "N12", "N13");
        var report = await ReportFixture.GetOkAsync(agency, "/api/v1/reports?month=2026-11");
        Assert.Equal(4, ReportFixture.Figures(report)["registered"]);
        Assert.Equal(theirs, (await ReportFixture.CaseIdsAsync(agency, "month=2026-11&figure=registered")).Order());
        var monthly = await ReportFixture.GetOkAsync(agency, "/api/v1/reports/monthly?month=2026-11");
        Assert.Equal(4, monthly["total"]!["registered"]!.GetValue<int>());
        // A village the agency does not reach: refused, not a report of the village with the agency's part in it.
        using var other = await agency.GetAsync("/api/v1/reports?month=2026-11&unit=SCH-MJC");
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/reports?period=weekly", "period")]
    [InlineData("/api/v1/reports?month=2026-13", "month")]
    [InlineData("/api/v1/reports?month=2027-01", "month")]
    [InlineData("/api/v1/reports?period=quarter&quarter=2026-Q5", "quarter")]
    [InlineData("/api/v1/reports?period=year&year=1999", "year")]
    [InlineData("/api/v1/reports?period=custom&from=2026-11-31&to=2026-12-01", "from")]
    [InlineData("/api/v1/reports?period=custom&from=2026-11-10&to=2026-11-01", "to")]
    [InlineData("/api/v1/reports?unit=NOPE", "unit")]
    [InlineData("/api/v1/reports/cases?month=2026-11", "figure")]
    [InlineData("/api/v1/reports/cases?month=2026-11&figure=everything", "figure")]
    [InlineData("/api/v1/reports/cases?month=2026-11&figure=handled&dim=planet&value=x", "dim")]
    [InlineData("/api/v1/reports/cases?month=2026-11&figure=handled&value=x", "dim")]
    [InlineData("/api/v1/reports/cases?month=2026-11&figure=handled&page=0", "page")]
    [InlineData("/api/v1/reports/cases?month=13&figure=handled", "month")]
    [InlineData("/api/v1/reports/cases?figure=handled&unit=NOPE", "unit")]
    [InlineData("/api/v1/reports/monthly?month=2026-1", "month")]
    public async Task BadQuery_Is400WithTheField(string url, string field)
    {
        using var response = await Town.GetAsync(url);
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey(field), problem.ToJsonString());
    }

    [Fact]
    public async Task Anonymous_Is401_OnTheCasesBehindAFigure()
    {
        using var response = await app.AnonymousClient().GetAsync("/api/v1/reports/cases?figure=handled");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task CasesPage_ShowsPeriodDefinitionAndExactlyTheCases_AndABadFigureAsAMessage()
    {
        using var response = await Town.GetAsync("/reports/cases?month=2026-11&figure=on-time");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("按期办结数", html);
        Assert.Contains("在办理期限前办结", html);
        Assert.Contains("2026年11月", html);
        foreach (var id in _ids.Of(ReportFixture.NovemberCases["on-time"]))
        {
            Assert.Contains($"data-case-id=\"{id}\"", html);
        }
        Assert.Equal(4, html.Split("data-case-id=").Length - 1);

        using var bad = await Town.GetAsync("/reports/cases?month=2026-11&figure=%3Cscript%3E");
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("data-field=\"Query.Figure\"", badHtml);
        Assert.DoesNotContain("figure=<script>", badHtml);
    }
}

/// <summary>As of the period's end: last month's figures and their cases do not move when its cases change today; this month's do.</summary>
public abstract class ReportStabilityTests(TaizhangApp app) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await ReportFixture.BuildAsync(app);
        app.Clock.SetUtcNow(ReportFixture.Now);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ChangingLastMonthsCasesToday_LeavesLastMonthAlone()
    {
        var ids = await ReportFixture.BuildAsync(app);
        var town = app.SharedClientAs("town");
        async Task<(JsonObject Report, Dictionary<string, long[]> Cases, JsonObject Monthly)> SnapshotAsync(string month)
        {
            var report = await ReportFixture.GetOkAsync(town, "/api/v1/reports?month=" + month);
            var cases = new Dictionary<string, long[]>();
            foreach (var key in ReportFixture.NovemberCases.Keys)
            {
                cases[key] = await ReportFixture.CaseIdsAsync(town, $"month={month}&figure={key}");
            }
            return (report, cases, await ReportFixture.GetOkAsync(town, "/api/v1/reports/monthly?month=" + month));
        }
        var before = await SnapshotAsync("2026-11");
        Assert.Equal(ReportFixture.November, ReportFixture.Figures(before.Report));
        var decemberBefore = ReportFixture.Figures(await ReportFixture.GetOkAsync(town, "/api/v1/reports?month=2026-12"));

        app.Clock.SetUtcNow(ReportFixture.Now.AddHours(1));
        await town.DoAsync(ids["N1"], "reopen", new { reason = "群众再次反映" });
        await town.DoAsync(ids["N13"], "follow-up", new { satisfaction = "Satisfied" });
        await town.DoAsync(ids["N6"], "transfer", new { toUnit = "SCH-SFS", reason = "改由司法所办理" });
        await ReportFixture.DomainAsync(app, ids["N9"], (c, d, at) => c.Contact("补充联系", TimeSpan.FromHours(24), new Actor(ActorKind.System, "t", "t"), at));
        await town.DoAsync(ids["D2"], "resolve", new { outcome = "Solved", result = "已修复" });
        await town.RegisterIdAsync(CaseApi.NewCase(title: "十二月新事项", orgUnit: "SCH-WJC", urgency: "Urgent", phone: null));
        app.Clock.SetUtcNow(ReportFixture.Now.AddHours(2));

        var after = await SnapshotAsync("2026-11");
        Assert.Equal(ReportFixture.November, ReportFixture.Figures(after.Report));
        foreach (var key in before.Cases.Keys)
        {
            Assert.True(before.Cases[key].SequenceEqual(after.Cases[key]), key);
        }
        Assert.Equal(before.Report["rates"]!.ToJsonString(), after.Report["rates"]!.ToJsonString());
        Assert.Equal(before.Report["assessment"]!.ToJsonString(), after.Report["assessment"]!.ToJsonString());
        Assert.Equal(before.Report["tables"]!.ToJsonString(), after.Report["tables"]!.ToJsonString());
        Assert.Equal(before.Report["rankings"]!.ToJsonString(), after.Report["rankings"]!.ToJsonString());
        var overdue = (JsonObject r) => r["lists"]!.AsArray().Single(l => l!["key"]!.GetValue<string>() == "overdue")!["items"]!.AsArray()
            .Select(i => i!["id"]!.GetValue<long>()).ToArray();
        Assert.Equal(overdue(before.Report), overdue(after.Report));
        Assert.Equal(before.Monthly["total"]!.ToJsonString(), after.Monthly["total"]!.ToJsonString());
        Assert.Equal(before.Monthly["rows"]!.ToJsonString(), after.Monthly["rows"]!.ToJsonString());

        // This month moves: one more registered, D2 handled.
        var december = ReportFixture.Figures(await ReportFixture.GetOkAsync(town, "/api/v1/reports?month=2026-12"));
        Assert.Equal(decemberBefore["registered"] + 1, december["registered"]);
        Assert.Equal(decemberBefore["handled"] + 1, december["handled"]);

        // And last month "as of now" (a custom period ending today) sees the changes: N1 is no longer handled.
        var asOfNow = ReportFixture.Figures(await ReportFixture.GetOkAsync(town, "/api/v1/reports?period=custom&from=2026-11-01&to=2026-12-10"));
        Assert.DoesNotContain(ids["N1"], await ReportFixture.CaseIdsAsync(town, "period=custom&from=2026-11-01&to=2026-12-10&figure=handled"));
        Assert.Equal(ReportFixture.November["handled"] + 1 /* N12 */ - 1 /* N1 */ + 2 /* D1, D2 */, asOfNow["handled"]);
    }
}

/// <summary>Ranks units from four cases up, so the fixture's two units are ranked and the police station is not.</summary>
public sealed class ReportSqliteApp : SqliteApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Reports:RankingMinCases", "4");
    }
}

public sealed class ReportPostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Reports:RankingMinCases", "4");
    }
}

public sealed class ReportFiguresTests_Sqlite(ReportSqliteApp app) : ReportFiguresTests(app), IClassFixture<ReportSqliteApp>;

public sealed class ReportFiguresTests_Postgres(ReportPostgresApp app) : ReportFiguresTests(app), IClassFixture<ReportPostgresApp>;

/// <summary>Without the closed periods' cache: the stability test must see the figures computed again, not remembered.</summary>
public sealed class UncachedSqliteApp : SqliteApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Reports:ClosedPeriodCacheSeconds", "0");
    }
}

public sealed class UncachedPostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Reports:ClosedPeriodCacheSeconds", "0");
    }
}

public sealed class ReportStabilityTests_Sqlite(UncachedSqliteApp app) : ReportStabilityTests(app), IClassFixture<UncachedSqliteApp>;

public sealed class ReportStabilityTests_Postgres(UncachedPostgresApp app) : ReportStabilityTests(app), IClassFixture<UncachedPostgresApp>;

/// <summary>
/// The closed periods' cache is per scope: the town's closed month is remembered for a few minutes,
/// a village cadre's (whose scope also reaches by assignment) is never taken from it, and the cases
/// behind a figure are always counted afresh.
/// </summary>
public abstract class ReportCacheTests(TaizhangApp app)
{
    [Fact]
    public async Task AClosedMonth_IsRememberedPerScope_AndItsCasesAreAlwaysCounted()
    {
        var town = app.SharedClientAs("town");
        var cadre = app.SharedClientAs("cadre");
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 10, 2, 0, 0, TimeSpan.Zero));
        await town.RegisterIdAsync(CaseApi.NewCase(title: "缓存测试一", orgUnit: "SCH-MJC", phone: null));
        app.Clock.SetUtcNow(ReportFixture.Now);
        Assert.Equal(1, ReportFixture.Figures(await ReportFixture.GetOkAsync(town, "/api/v1/reports?month=2026-11"))["registered"]);
        Assert.Equal(1, ReportFixture.Figures(await ReportFixture.GetOkAsync(cadre, "/api/v1/reports?month=2026-11"))["registered"]);

        // A registration back-dated into November (as a restore could make): the town's remembered figures stay
        // for the cache's lifetime; the cadre's are counted again; the list of cases is always counted.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 12, 2, 0, 0, TimeSpan.Zero));
        await town.RegisterIdAsync(CaseApi.NewCase(title: "缓存测试二", orgUnit: "SCH-MJC", phone: null));
        app.Clock.SetUtcNow(ReportFixture.Now);
        Assert.Equal(1, ReportFixture.Figures(await ReportFixture.GetOkAsync(town, "/api/v1/reports?month=2026-11"))["registered"]);
        Assert.Equal(2, ReportFixture.Figures(await ReportFixture.GetOkAsync(cadre, "/api/v1/reports?month=2026-11"))["registered"]);
        Assert.Equal(2, (await ReportFixture.CaseIdsAsync(town, "month=2026-11&figure=registered")).Length);
        // Another scope of the town (one village) is another entry.
        Assert.Equal(2, ReportFixture.Figures(await ReportFixture.GetOkAsync(town, "/api/v1/reports?month=2026-11&unit=SCH-MJC"))["registered"]);
    }
}

public sealed class ReportCacheTests_Sqlite(SqliteApp app) : ReportCacheTests(app), IClassFixture<SqliteApp>;

public sealed class ReportCacheTests_Postgres(PostgresApp app) : ReportCacheTests(app), IClassFixture<PostgresApp>;
