using System.Net;
using System.Text.RegularExpressions;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// 一览清: each number is what the scenario makes it, and its link opens the ledger on exactly
/// those cases (the list API with the link's filters has the same total).
/// </summary>
public abstract partial class BoardPageTests(TaizhangApp app) : IAsyncLifetime
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    public async Task InitializeAsync()
    {
        if (await app.WithDbAsync(db => Task.FromResult(db.Cases.Any())))
        {
            return;
        }
        // Start is 2026-11-26 10:00 in Shanghai: everything below is registered in November.
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-20));
        await _town.RegisterIdAsync(CaseApi.NewCase(title: "超期：桥栏杆断裂", urgency: "Urgent"));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-3));
        await _town.RegisterIdAsync(CaseApi.NewCase(title: "待分流：路灯不亮"));
        var triaged = await _town.RegisterIdAsync(CaseApi.NewCase(title: "分流待交办：垃圾桶破损"));
        var inProgress = await _town.RegisterIdAsync(CaseApi.NewCase(title: "办理中：水管漏水"));
        var resolved = await _town.RegisterIdAsync(CaseApi.NewCase(title: "待回访：井盖缺失"));
        var satisfied = await _town.RegisterIdAsync(CaseApi.NewCase(title: "已回访：树枝挡路"));
        var unsatisfied = await _town.RegisterIdAsync(CaseApi.NewCase(title: "不满意：噪音扰民"));
        var rejected = await _town.RegisterIdAsync(CaseApi.NewCase(title: "不予受理：私人借贷"));
        var topic = await _town.RegisterIdAsync(CaseApi.NewCase(title: "议题：修建文化广场"));
        await _town.DoAsync(triaged, "triage", new { track = "Direct" });
        foreach (var id in new[] { inProgress, resolved, satisfied, unsatisfied })
        {
            await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        }
        await _town.DoAsync(inProgress, "start");
        foreach (var id in new[] { resolved, satisfied, unsatisfied })
        {
            await _town.DoAsync(id, "resolve", new { outcome = "Solved", result = "已处理完毕" });
        }
        await _town.DoAsync(satisfied, "follow-up", new { satisfaction = "Satisfied" });
        await _town.DoAsync(unsatisfied, "follow-up", new { satisfaction = "Unsatisfied", note = "问题依旧" });
        await _town.DoAsync(rejected, "reject", new { reason = "不属于受理范围" });
        await _town.DoAsync(topic, "triage", new { track = "Topic" });
        // 督办 (on 11-23): one whose supervision deadline (11-24) has passed while its own due date has not, one within it.
        var leader = app.SharedClientAs("leader");
        await leader.DoAsync(inProgress, "supervise", new { level = "Red", deadline = "2026-11-24", note = "红牌督办，限次日修复" });
        await leader.DoAsync(triaged, "supervise", new { level = "Yellow", deadline = "2026-11-30", note = "黄牌督办，请尽快交办" });
        // Due in 22 hours: amber.
        app.Clock.SetUtcNow(TaizhangApp.Start.AddHours(-2));
        await _town.RegisterIdAsync(CaseApi.NewCase(title: "即将到期：电线下垂", urgency: "Urgent"));
        app.Clock.SetUtcNow(TaizhangApp.Start);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Stages_CountTheScenario_AndLinkToExactlyThoseCases()
    {
        var (status, html) = await _town.GetHtmlAsync("/board");
        Assert.Equal(HttpStatusCode.OK, status);

        var stages = PageApi.BoardStages(html);
        // The lifecycle's stages (Lifecycle.StageOf): the three registered and the reopened one wait for triage.
        Assert.Equal(4, stages["AwaitingTriage"].Count);
        Assert.Equal(1, stages["AwaitingAssignment"].Count); // triaged without a unit
        Assert.Equal(1, stages["InHandling"].Count);
        Assert.Equal(1, stages["Deliberation"].Count);
        Assert.Equal(1, stages["AwaitingFollowUp"].Count);
        Assert.Equal(2, stages["Closed"].Count);            // satisfied follow-up and the rejected one
        Assert.Equal(10, stages.Values.Sum(s => s.Count)); // every case in exactly one stage
        foreach (var (_, (link, count)) in stages)
        {
            Assert.Equal(count, await LedgerTotalAsync(link));
        }
    }

    [Fact]
    public async Task MonthRates_FollowTheDefinitions_AndTheirPartsLinkToTheLedger()
    {
        var (_, html) = await _town.GetHtmlAsync("/board");

        var rates = RateFigure().Matches(html).ToDictionary(m => m.Groups["key"].Value, m => m);
        // Accepted: 10 registered this month minus the rejected one. Resolved: 2 (the unsatisfied one reopened).
        AssertRate(rates["handling"], "22.2%", 2, 9);
        AssertRate(rates["resolution"], "100.0%", 2, 2);
        AssertRate(rates["on-time"], "100.0%", 2, 2);
        // Verdicts: one satisfied, one unsatisfied (now reopened): it still counts against satisfaction.
        AssertRate(rates["satisfaction"], "50.0%", 1, 2);
        // Two follow-ups were recorded, of the three cases resolved at least once (the reopened one
        // included): not "1/2", and not "1/1" as when the reopened case dropped out of both parts.
        AssertRate(rates["follow-up"], "66.7%", 2, 3);
        Assert.Equal(5, rates.Count);
        foreach (var m in rates.Values)
        {
            Assert.Equal(int.Parse(m.Groups["num"].Value), await LedgerTotalAsync(Decode(m.Groups["numHref"].Value)));
            Assert.Equal(int.Parse(m.Groups["den"].Value), await LedgerTotalAsync(Decode(m.Groups["denHref"].Value)));
        }
        // The definitions are shown next to the figures.
        Assert.Contains("已办结（含已回访）÷ 受理数", html);
    }

    [Fact]
    public async Task OverdueAndDueSoonLists_ShowTheirCases()
    {
        var (_, html) = await _town.GetHtmlAsync("/board");

        var overdue = Section(html, "overdue");
        Assert.Contains("超期：桥栏杆断裂", overdue);
        Assert.DoesNotContain("即将到期：电线下垂", overdue);
        var soon = Section(html, "due-soon");
        Assert.Contains("即将到期：电线下垂", soon);
        Assert.DoesNotContain("超期：桥栏杆断裂", soon);
        Assert.Equal(1, await LedgerTotalAsync("/cases?dueSoon=true&sort=dueAt"));
    }

    /// <summary>A walk-through: the supervised list showed the case's due date, not the supervision's own deadline, level and note.</summary>
    [Fact]
    public async Task SupervisedList_ShowsTheSupervisionsDeadlineLevelAndNote_AndMarksOnePastItsDeadline()
    {
        var (_, html) = await _town.GetHtmlAsync("/board");

        var supervised = Section(html, "supervised");
        Assert.Contains("<th scope=\"col\">督办期限</th>", supervised);
        var late = Row(supervised, "办理中：水管漏水");
        Assert.StartsWith("<tr class=\"supervised overdue\">", late);
        Assert.Contains("<td class=\"due\">2026-11-24</td>", late);
        Assert.Contains("data-flag=\"supervised\" data-level=\"Red\"", late);
        Assert.Contains("data-flag=\"supervision-overdue\"", late);
        Assert.Contains("督办意见：红牌督办，限次日修复", late);
        var within = Row(supervised, "分流待交办：垃圾桶破损");
        Assert.StartsWith("<tr class=\"supervised\">", within);
        Assert.Contains("<td class=\"due\">2026-11-30</td>", within);
        Assert.Contains("data-level=\"Yellow\"", within);
        Assert.DoesNotContain("督办逾期", within);
        Assert.Contains("督办意见：黄牌督办，请尽快交办", within);
        // The case itself is not overdue: only its supervision is.
        Assert.DoesNotContain("水管漏水", Section(html, "overdue"));
        Assert.Equal(2, await LedgerTotalAsync("/cases?supervised=true&sort=dueAt"));

        using var englishReader = app.ClientAs("town");
        var (_, english) = await englishReader.GetHtmlAsync("/board?culture=en");
        Assert.Contains("Supervision overdue", Section(english, "supervised"));
    }

    [Fact]
    public async Task AVillageCadre_SeesOnlyTheirVillage()
    {
        // Every scenario case is in 马家村 (SCH-MJC); 王家村's cadre sees none of them.
        var (_, html) = await app.SharedClientAs("cadre-wjc").GetHtmlAsync("/board");
        var stages = PageApi.BoardStages(html).Values.Select(s => s.Count).ToList();
        Assert.Equal(6, stages.Count);
        Assert.All(stages, n => Assert.Equal(0, n));
        Assert.DoesNotContain("桥栏杆断裂", html);
    }

    [Fact]
    public async Task SignedOut_RedirectsToSignIn()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/board");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await app.AnonymousClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery);
    }

    private static void AssertRate(Match m, string shown, int numerator, int denominator)
    {
        Assert.Equal(shown, m.Groups["shown"].Value);
        Assert.Equal(numerator, int.Parse(m.Groups["num"].Value));
        Assert.Equal(denominator, int.Parse(m.Groups["den"].Value));
    }

    /// <summary>The list API's total for a ledger link (/cases?… → /api/v1/cases?…).</summary>
    private async Task<int> LedgerTotalAsync(string link)
    {
        Assert.StartsWith("/cases", link);
        var query = link.Contains('?') ? link[(link.IndexOf('?') + 1)..] : "";
        var (status, _) = await _town.GetHtmlAsync(link);
        Assert.Equal(HttpStatusCode.OK, status);
        return (await _town.ListAsync(query)).Total();
    }

    private static string Decode(string href) => WebUtility.HtmlDecode(href);

    private static string Section(string html, string list)
    {
        var start = html.IndexOf($"data-list=\"{list}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no {list} list");
        var end = html.IndexOf("</section>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    private static string Row(string list, string title)
    {
        var at = list.IndexOf(title, StringComparison.Ordinal);
        Assert.True(at >= 0, $"no row {title}");
        var start = list.LastIndexOf("<tr", at, StringComparison.Ordinal);
        return list[start..list.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    [GeneratedRegex("""data-rate="(?<key>[^"]+)">\s*<div>[^<]*</div>\s*<div class="n">(?<shown>[^<]*)</div>\s*<div>\s*<a href="(?<numHref>[^"]*)" data-part="numerator">(?<num>\d+)</a> / <a href="(?<denHref>[^"]*)" data-part="denominator">(?<den>\d+)</a>""")]
    private static partial Regex RateFigure();
}

public sealed class BoardPageTests_Sqlite(SqliteApp app) : BoardPageTests(app), IClassFixture<SqliteApp>;

public sealed class BoardPageTests_Postgres(PostgresApp app) : BoardPageTests(app), IClassFixture<PostgresApp>;
