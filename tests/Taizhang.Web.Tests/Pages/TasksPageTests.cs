using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// 我的待办 (/tasks, /api/v1/tasks, /api/v1/tasks/counts): each person gets the sections of their
/// permissions, each section's count is the ledger's total for its link, the header counts each
/// case once, a cadre never sees another village's cases, and "/" starts each person where their
/// work is. The scenario (below) puts cases of 马家村 (SCH-MJC) and 王家村 (SCH-WJC) in every section.
/// </summary>
public abstract partial class TasksPageTests(TaizhangApp app) : IAsyncLifetime
{
    private readonly HttpClient _town = app.SharedClientAs("town");

    // The scenario's cases by title: 马家村's start with "马", 王家村's with "王", the town's own with "镇".
    private const string Registered = "马待分流：路灯不亮";
    private const string Returned = "马退回：水渠堵塞";
    private const string Triaged = "马待交办：垃圾桶破损";
    private const string ToStart = "马待开始：道路坑洼";
    private const string InHand = "马办理中：水管漏水";
    private const string Resolved = "马待回访：井盖缺失";
    private const string Topic = "马议题：修建文化广场";
    private const string AtTheJudicialOffice = "马司法所待开始：邻里纠纷";
    private const string JudicialOverdue = "马司法所超期：宅基地纠纷";
    private const string LateInHand = "马超期办理中：桥栏杆断裂";
    private const string DueSoon = "马即将到期：电线下垂";
    private const string WjcOverdue = "王超期：饮水管道破裂";
    private const string WjcResolved = "王待回访：路灯修复";
    private const string TownsOwn = "镇待开始：镇政府门前积水";

    public async Task InitializeAsync()
    {
        if (await app.WithDbAsync(db => Task.FromResult(db.Cases.Any())))
        {
            return;
        }
        var cadre = app.SharedClientAs("cadre");
        var agency = app.SharedClientAs("agency");
        // Twenty days ago, urgent (due within a day): overdue now.
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-20));
        var judicialOverdue = await _town.RegisterIdAsync(CaseApi.NewCase(title: JudicialOverdue, urgency: "Urgent", category: "dispute-land"));
        await _town.DoAsync(judicialOverdue, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        await agency.DoAsync(judicialOverdue, "start");
        var lateInHand = await _town.RegisterIdAsync(CaseApi.NewCase(title: LateInHand, urgency: "Urgent"));
        await _town.DoAsync(lateInHand, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await cadre.DoAsync(lateInHand, "start");
        var wjcOverdue = await _town.RegisterIdAsync(CaseApi.NewCase(title: WjcOverdue, orgUnit: "SCH-WJC", urgency: "Urgent"));
        await _town.DoAsync(wjcOverdue, "triage", new { track = "Direct", assigneeUnit = "SCH-WJC" });
        // Due in 22 hours.
        app.Clock.SetUtcNow(TaizhangApp.Start.AddHours(-2));
        var dueSoon = await _town.RegisterIdAsync(CaseApi.NewCase(title: DueSoon, urgency: "Urgent"));
        await _town.DoAsync(dueSoon, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });

        app.Clock.SetUtcNow(TaizhangApp.Start);
        await _town.RegisterIdAsync(CaseApi.NewCase(title: Registered));
        var returned = await _town.RegisterIdAsync(CaseApi.NewCase(title: Returned));
        await _town.DoAsync(returned, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await cadre.DoAsync(returned, "return", new { reason = "不属于本村办理范围" });
        var triaged = await _town.RegisterIdAsync(CaseApi.NewCase(title: Triaged));
        await _town.DoAsync(triaged, "triage", new { track = "Direct" });
        var toStart = await _town.RegisterIdAsync(CaseApi.NewCase(title: ToStart));
        await _town.DoAsync(toStart, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var inHand = await _town.RegisterIdAsync(CaseApi.NewCase(title: InHand));
        await _town.DoAsync(inHand, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await cadre.DoAsync(inHand, "start");
        var resolved = await _town.RegisterIdAsync(CaseApi.NewCase(title: Resolved));
        await _town.DoAsync(resolved, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await cadre.DoAsync(resolved, "resolve", new { outcome = "Solved", result = "已更换井盖" });
        var topic = await _town.RegisterIdAsync(CaseApi.NewCase(title: Topic));
        await _town.DoAsync(topic, "triage", new { track = "Topic" });
        var atTheJudicialOffice = await _town.RegisterIdAsync(CaseApi.NewCase(title: AtTheJudicialOffice, category: "dispute-neighbour"));
        await _town.DoAsync(atTheJudicialOffice, "triage", new { track = "Direct", assigneeUnit = "SCH-SFS" });
        var wjcResolved = await _town.RegisterIdAsync(CaseApi.NewCase(title: WjcResolved, orgUnit: "SCH-WJC"));
        await _town.DoAsync(wjcResolved, "triage", new { track = "Direct", assigneeUnit = "SCH-WJC" });
        await _town.DoAsync(wjcResolved, "resolve", new { outcome = "Solved", result = "已修复" });
        var townsOwn = await _town.RegisterIdAsync(CaseApi.NewCase(title: TownsOwn, orgUnit: "SCH"));
        await _town.DoAsync(townsOwn, "triage", new { track = "Direct", assigneeUnit = "SCH" });

        // Meetings: the town's and each village's within the next 14 days; one later, one past.
        var sch = await app.UnitIdAsync("SCH");
        var mjc = await app.UnitIdAsync("SCH-MJC");
        var wjc = await app.UnitIdAsync("SCH-WJC");
        var now = TaizhangApp.Start.UtcDateTime;
        await app.WithDbAsync(async db =>
        {
            db.Meetings.AddRange(
                new Meeting(sch, sch, MeetingKind.Deliberation, "镇会：第四季度协商议事会议", now.AddDays(3)),
                new Meeting(sch, mjc, MeetingKind.Forum, "马家村会：村民座谈会", now.AddDays(5)),
                new Meeting(sch, wjc, MeetingKind.Forum, "王家村会：饮水座谈会", now.AddDays(2)),
                new Meeting(sch, mjc, MeetingKind.ConcentratedHandling, "马家村后会：集中办理会", now.AddDays(20)),
                new Meeting(sch, mjc, MeetingKind.Forum, "马家村旧会：上月座谈会", now.AddDays(-10)));
            return await db.SaveChangesAsync();
        });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>What each person's sections count in the scenario, in the page's order.</summary>
    public static TheoryData<string, string> Expected => new()
    {
        // The town office: its area's deadlines, its queues, the case assigned to the town itself.
        { "town", "overdue=3 due-soon=1 awaiting-triage=2 returned=1 awaiting-assignment=1 pending-decision=0 to-start=1 in-hand=0 reminded=0 supervised=0 suspended=0 follow-up=2 topics=1 meetings=3" },
        // 马家村's cadre: what is assigned to the village (not the judicial office's cases of the village), its follow-ups and topics.
        { "cadre", "overdue=1 due-soon=1 to-start=2 in-hand=2 reminded=0 supervised=0 suspended=0 follow-up=1 topics=1 meetings=2" },
        { "cadre-wjc", "overdue=1 due-soon=0 to-start=1 in-hand=0 reminded=0 supervised=0 suspended=0 follow-up=1 topics=0 meetings=2" },
        // The judicial office: its own list of the cases assigned to it.
        { "agency", "overdue=1 due-soon=0 to-start=1 in-hand=1 reminded=0 supervised=0 suspended=0" },
        { "operator", "" },
        // A leader decides on second extensions and suspensions (and still starts on the board).
        { "leader", "pending-decision=0" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public async Task EachPerson_GetsTheSectionsOfTheirPermissions_WithTheirCounts(string who, string expected)
    {
        var (status, html) = await app.SharedClientAs(who).GetHtmlAsync("/tasks");
        Assert.Equal(HttpStatusCode.OK, status);
        var shown = string.Join(' ', SectionFigure().Matches(html).Select(m => $"{m.Groups["key"].Value}={m.Groups["n"].Value}"));
        Assert.Equal(expected, shown);
        if (expected.Length == 0)
        {
            // Nothing here is theirs: the page says so, and points to where they work.
            Assert.Contains("data-empty", html);
        }
    }

    [Theory]
    [InlineData("town")]
    [InlineData("cadre")]
    [InlineData("cadre-wjc")]
    [InlineData("agency")]
    [InlineData("operator")]
    public async Task EverySectionsCount_IsTheLedgersTotal_ForItsLink(string who)
    {
        var client = app.SharedClientAs(who);
        var (_, html) = await client.GetHtmlAsync("/tasks");
        var sections = Sections(html);
        var api = await GetJsonAsync(client, "/api/v1/tasks");
        var fromApi = api["sections"]!.AsArray().Select(s => s!.AsObject()).ToList();
        Assert.Equal(sections.Keys, fromApi.Select(s => s["key"]!.GetValue<string>()));
        foreach (var (key, (count, link)) in sections)
        {
            Assert.StartsWith("/cases?", link);
            var (ledgerStatus, _) = await client.GetHtmlAsync(link);
            Assert.Equal(HttpStatusCode.OK, ledgerStatus);
            Assert.True(count == await client.LedgerTotalAsync(link), $"{who} {key}: {count} ≠ the ledger's total at {link}");
            // The API answers the same section: its count, its link, and its first rows (at most five).
            var section = fromApi.Single(s => s["key"]!.GetValue<string>() == key);
            Assert.Equal(count, section["count"]!.GetValue<int>());
            Assert.Equal(link, section["link"]!.GetValue<string>());
            Assert.Equal(Math.Min(count, 5), section["items"]!.AsArray().Count);
            using var list = await client.GetAsync(section["apiLink"]!.GetValue<string>());
            Assert.Equal(count, (await list.ReadJsonAsync()).Total());
        }
        if (who == "operator")
        {
            Assert.Empty(sections);
            Assert.Null(api["meetings"]);
        }
    }

    [Fact]
    public async Task TheOfficesQueueSections_AreTheTriageQueues()
    {
        var (_, html) = await _town.GetHtmlAsync("/tasks");
        var sections = Sections(html);
        var (_, triage) = await _town.GetHtmlAsync("/triage");
        Assert.Contains($"data-total=\"{sections["awaiting-triage"].Count}\"", triage);
        var (_, assignment) = await _town.GetHtmlAsync("/triage?queue=AwaitingAssignment");
        Assert.Contains($"data-total=\"{sections["awaiting-assignment"].Count}\"", assignment);
        Assert.Contains("href=\"/triage\" data-act", html);
        Assert.Contains("href=\"/triage?queue=AwaitingAssignment\" data-act", html);
    }

    [Fact]
    public async Task Sections_ListTheMostUrgentFirst_AndEachRowOpensItsCase()
    {
        var (_, html) = await _town.GetHtmlAsync("/tasks");
        var overdue = SectionHtml(html, "overdue");
        // Due twenty days ago (urgent, all three): in the order they were registered; the due-soon case is not late.
        Assert.True(overdue.IndexOf(JudicialOverdue, StringComparison.Ordinal) < overdue.IndexOf(LateInHand, StringComparison.Ordinal));
        Assert.True(overdue.IndexOf(LateInHand, StringComparison.Ordinal) < overdue.IndexOf(WjcOverdue, StringComparison.Ordinal));
        Assert.DoesNotContain(DueSoon, overdue);
        Assert.Contains(DueSoon, SectionHtml(html, "due-soon"));
        var id = (await _town.ListAsync("q=" + Uri.EscapeDataString(Triaged))).ItemIds().Single();
        Assert.Contains($"<a href=\"/cases/{id}\">{Triaged}</a>", SectionHtml(html, "awaiting-assignment"));
        // The town office's "to start" is what is assigned to the town itself, not to its villages.
        var toStart = SectionHtml(html, "to-start");
        Assert.Contains(TownsOwn, toStart);
        Assert.DoesNotContain(ToStart, toStart);
        // Meetings coming: title, kind and date, soonest first; not the later or past ones.
        var meetings = SectionHtml(html, "meetings");
        Assert.True(meetings.IndexOf("王家村会", StringComparison.Ordinal) < meetings.IndexOf("镇会", StringComparison.Ordinal));
        Assert.Contains("议事会", meetings);
        Assert.Contains("2026-11-29", meetings);
        Assert.DoesNotContain("马家村后会", meetings);
        Assert.DoesNotContain("马家村旧会", meetings);
    }

    [Theory]
    [InlineData("town", "/tasks")]
    [InlineData("cadre", "/tasks")]
    [InlineData("agency", "/tasks")]
    [InlineData("operator", "/hotline")]
    [InlineData("operator-mjc", "/hotline")]
    [InlineData("leader", "/board")]
    [InlineData("member", "/board")]
    [InlineData("admin-sch", "/board")]
    public async Task TheStartPage_IsWhereEachPersonsWorkIs(string who, string start)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await app.SharedClientAs(who).SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(start, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TheCountsEndpoint_CountsEachCaseOnce_AndNamesItsParts()
    {
        var town = await GetJsonAsync(_town, "/api/v1/tasks/counts");
        var parts = Parts(town);
        // Cases being worked on (in hand) are not in the header's number; the rest are.
        Assert.Equal(["overdue", "due-soon", "awaiting-triage", "returned", "awaiting-assignment", "pending-decision", "to-start", "reminded", "follow-up", "topics"], parts.Keys);
        Assert.Equal(12, parts.Values.Sum());
        // The returned case is in two sections (returned, awaiting triage) and counts once.
        Assert.Equal(11, town["total"]!.GetValue<int>());
        Assert.Contains("已超期 3", town["summary"]!.GetValue<string>());
        Assert.Contains("11", town["summary"]!.GetValue<string>());
        // The task list's own numbers agree.
        var page = await GetJsonAsync(_town, "/api/v1/tasks");
        Assert.Equal(11, page["counts"]!["total"]!.GetValue<int>());

        // 马家村's cadre: the due-soon case also waits to be started: one case.
        var cadre = await GetJsonAsync(app.SharedClientAs("cadre"), "/api/v1/tasks/counts");
        Assert.Equal(6, Parts(cadre).Values.Sum());
        Assert.Equal(5, cadre["total"]!.GetValue<int>());
        var agency = await GetJsonAsync(app.SharedClientAs("agency"), "/api/v1/tasks/counts");
        Assert.Equal(2, agency["total"]!.GetValue<int>());
        var op = await GetJsonAsync(app.SharedClientAs("operator"), "/api/v1/tasks/counts");
        Assert.Equal(0, op["total"]!.GetValue<int>());
        Assert.Empty(op["parts"]!.AsArray());
    }

    [Fact]
    public async Task TheCounts_FollowTheWork()
    {
        // The police station's handler: nothing, then a case to start, then the case in hand (not in the number).
        var police = app.SharedClientAs("police");
        Assert.Equal(0, (await GetJsonAsync(police, "/api/v1/tasks/counts"))["total"]!.GetValue<int>());
        var id = await _town.RegisterIdAsync(CaseApi.NewCase(title: "马派出所：夜间噪音扰民"));
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-PCS" });
        var assigned = await GetJsonAsync(police, "/api/v1/tasks/counts");
        Assert.Equal(1, assigned["total"]!.GetValue<int>());
        Assert.Equal(1, Parts(assigned)["to-start"]);
        await police.DoAsync(id, "start");
        Assert.Equal(0, (await GetJsonAsync(police, "/api/v1/tasks/counts"))["total"]!.GetValue<int>());
        var (_, html) = await police.GetHtmlAsync("/tasks");
        Assert.Equal(1, Sections(html)["in-hand"].Count);
        Assert.Contains("data-task-count=\"0\" hidden", html);
    }

    [Fact]
    public async Task TheHeader_CarriesTheNumber_OnEveryPage_ForThoseWithTasks()
    {
        var (_, board) = await _town.GetHtmlAsync("/board");
        var link = NavLink().Match(board);
        Assert.True(link.Success, "the header links to 我的待办 with its number");
        Assert.Equal("11", link.Groups["n"].Value);
        Assert.Contains("待分流 2", WebUtility.HtmlDecode(link.Groups["title"].Value));
        var (_, ledger) = await app.SharedClientAs("cadre").GetHtmlAsync("/cases");
        Assert.Equal("5", NavLink().Match(ledger).Groups["n"].Value);
        // A leader decides on deadline requests: the link, with nothing waiting.
        var (_, leaderBoard) = await app.SharedClientAs("leader").GetHtmlAsync("/board");
        Assert.Equal("0", NavLink().Match(leaderBoard).Groups["n"].Value);
        // Those whom no section concerns get no link and no number.
        foreach (var who in new[] { "operator", "member" })
        {
            var (_, html) = await app.SharedClientAs(who).GetHtmlAsync("/board");
            Assert.DoesNotContain("href=\"/tasks\"", html);
            Assert.DoesNotContain("data-task-count", html);
        }
    }

    [Fact]
    public async Task AVillageCadre_NeverSeesAnotherVillagesCases_InAnySection()
    {
        foreach (var (who, own, other) in new[] { ("cadre", "马", "王"), ("cadre-wjc", "王", "马") })
        {
            var client = app.SharedClientAs(who);
            var (_, html) = await client.GetHtmlAsync("/tasks");
            var api = (await GetJsonAsync(client, "/api/v1/tasks")).ToJsonString();
            var titles = RowTitle().Matches(html).Select(m => m.Groups["t"].Value).ToList();
            Assert.NotEmpty(titles);
            Assert.All(titles, t => Assert.StartsWith(own, t));
            Assert.DoesNotContain(other == "马" ? "马家村会" : "王家村会", html);
            foreach (var title in new[] { Registered, Returned, Triaged, ToStart, InHand, Resolved, Topic, LateInHand, DueSoon, WjcOverdue, WjcResolved, TownsOwn }
                .Where(t => !t.StartsWith(own, StringComparison.Ordinal)))
            {
                Assert.DoesNotContain(title, html);
                Assert.DoesNotContain(title, api);
            }
        }
        // The judicial office sees only what is assigned to it, although both are 马家村's.
        var (_, agency) = await app.SharedClientAs("agency").GetHtmlAsync("/tasks");
        Assert.Equal(new[] { JudicialOverdue, AtTheJudicialOffice }.Order(), RowTitle().Matches(agency).Select(m => m.Groups["t"].Value).Distinct().Order());
    }

    [Fact]
    public async Task TheLedgersAssignedToMeFilter_IsTheUnitsOwnWork()
    {
        var cadre = app.SharedClientAs("cadre");
        var mine = await cadre.ListAsync("assignedToMe=true&pageSize=200");
        var notMine = await cadre.ListAsync("assignedToMe=false&pageSize=200");
        Assert.Equal((await cadre.ListAsync("")).Total(), mine.Total() + notMine.Total());
        var titles = mine["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ToList();
        Assert.Contains(ToStart, titles);
        Assert.DoesNotContain(AtTheJudicialOffice, titles);
        Assert.DoesNotContain(Registered, titles);
        // The town office's own unit is the town, not the villages under it.
        var town = (await _town.ListAsync("assignedToMe=true")).ItemIds();
        Assert.Equal((await _town.ListAsync("q=" + Uri.EscapeDataString(TownsOwn))).ItemIds(), town);

        using var bad = await cadre.GetAsync("/api/v1/cases?assignedToMe=maybe");
        var problem = await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey("assignedToMe"), problem.ToJsonString());
        // The ledger page keeps the filter in its form.
        var (_, page) = await cadre.GetHtmlAsync("/cases?assignedToMe=true");
        Assert.Contains("<option value=\"true\" selected=\"selected\">是</option>", page);
    }

    [Fact]
    public async Task SignedOut_TheApiIs401_AndThePageRedirectsToSignIn()
    {
        var anonymous = app.AnonymousClient();
        using var counts = await anonymous.GetAsync("/api/v1/tasks/counts");
        Assert.Equal(HttpStatusCode.Unauthorized, counts.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tasks");
        request.Headers.Accept.ParseAdd("text/html");
        using var page = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery);
    }

    private static async Task<JsonObject> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}: {json}");
        return json;
    }

    private static Dictionary<string, int> Parts(JsonObject counts) =>
        counts["parts"]!.AsArray().ToDictionary(p => p!["key"]!.GetValue<string>(), p => p!["count"]!.GetValue<int>());

    /// <summary>The page's case sections (not meetings): key → count shown and the "all" link (decoded).</summary>
    private static Dictionary<string, (int Count, string Link)> Sections(string html) =>
        SectionFigure().Matches(html).Where(m => m.Groups["key"].Value != "meetings").ToDictionary(
            m => m.Groups["key"].Value,
            m => (int.Parse(m.Groups["n"].Value), WebUtility.HtmlDecode(AllLink().Match(SectionHtml(html, m.Groups["key"].Value)).Groups["href"].Value)));

    private static string SectionHtml(string html, string key)
    {
        var start = html.IndexOf($"data-section=\"{key}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no section {key}");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("""data-section="(?<key>[^"]+)" data-count="(?<n>\d+)""")]
    private static partial Regex SectionFigure();

    [GeneratedRegex("""<a class="all" href="(?<href>[^"]+)" data-all>""")]
    private static partial Regex AllLink();

    [GeneratedRegex("""<a href="/cases/\d+">(?<t>[^<]+)</a>""")]
    private static partial Regex RowTitle();

    [GeneratedRegex(""""<a href="/tasks"[^>]*title="(?<title>[^"]*)">[^<]*<span class="count" data-task-count="(?<n>\d+)"""")]
    private static partial Regex NavLink();
}

public sealed class TasksPageTests_Sqlite(SqliteApp app) : TasksPageTests(app), IClassFixture<SqliteApp>;

public sealed class TasksPageTests_Postgres(PostgresApp app) : TasksPageTests(app), IClassFixture<PostgresApp>;
