using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Disclosures;
using Taizhang.Domain.Meetings;
using Taizhang.Web.Features.Residents;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Disclosures;

/// <summary>
/// 公示 over HTTP: a confirmed meeting's decision and a resolved case's result on the village's public
/// page (/public/{code} and its JSON), objections during the period through the public anti-abuse (the
/// proof of work solved here, at a low difficulty), refused after it; scope; bad input changing nothing;
/// and no resident's name or phone anywhere public. Meetings are made through the domain (the meetings
/// API is another part of the work).
/// </summary>
public abstract partial class DisclosureTests(TaizhangApp app)
{
    public const int TestBits = 6;

    public static void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Residents:ProofOfWorkBits", TestBits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:ObjectionPerHour", "1000");
        builder.UseSetting("Consultation:SupervisionPhone", "0932-4567890");
    }

    private const string Resident = "张桂兰";
    private const string ResidentPhone = "13912345678";

    private HttpClient Cadre => app.SharedClientAs("cadre");

    private HttpClient Town => app.SharedClientAs("town");

    /// <summary>A topic of 马家村 in deliberation and a Deliberation meeting (5 members, 4 present) with its vote on it, minutes confirmed unless told.</summary>
    private async Task<(long MeetingId, long CaseId)> DecidedMeetingAsync(string title, bool confirm = true)
    {
        var caseId = await Town.RegisterIdAsync(CaseApi.NewCase(title: title, reporterName: Resident, phone: ResidentPhone));
        await Town.DoAsync(caseId, "triage", new { track = "Topic" });
        await Town.DoAsync(caseId, "deliberate", new { });
        var meetingId = await app.WithDbAsync(async db =>
        {
            var unit = await db.OrgUnits.SingleAsync(u => u.Code == "SCH-MJC");
            var now = app.Clock.GetUtcNow().UtcDateTime;
            var m = Meeting.Plan(unit.TownId!.Value, unit.Id, MeetingKind.Deliberation, "马家村议事会第四次会议", now.AddHours(-3), "村委会议室", "马主任",
                null, 0, null, "town", now.AddHours(-4));
            foreach (var name in new[] { "王大成", "李小红", "赵四海", "孙五福", "周六顺" })
            {
                m.AddParticipant(ParticipantRole.Member, name, null, null, null, now);
            }
            m.AddParticipant(ParticipantRole.Resident, Resident, null, null, null, now);
            m.AddAgendaItem(caseId, title, AgendaSource.Residents, now);
            m.Hold([1, 2, 3, 4, 6], null, null, now.AddHours(-3), now);
            m.RecordOutcome(1, AgendaOutcomeKind.Vote, "同意硬化村东道路，由村集体和群众共同出资。", 3, 1, 0, now);
            m.SaveMinutes("会议议定：同意硬化村东道路。", now);
            if (confirm)
            {
                m.ConfirmMinutes("马主任", [1, 2], now);
            }
            db.Meetings.Add(m);
            await db.SaveChangesAsync();
            return m.Id;
        });
        return (meetingId, caseId);
    }

    /// <summary>A direct case of 马家村, resolved with a public reply.</summary>
    private async Task<long> ResolvedCaseAsync(string title)
    {
        var id = await Town.RegisterIdAsync(CaseApi.NewCase(title: title, reporterName: Resident, phone: ResidentPhone));
        await Town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await Town.DoAsync(id, "resolve", new { outcome = "Solved", result = $"已联系{Resident}（{ResidentPhone}）并修好", publicReply = "路灯已全部修复。" });
        return id;
    }

    private Task<int> DisclosureCountAsync() => app.WithDbAsync(db => db.Set<Disclosure>().CountAsync());

    private Task<int> ObjectionCountAsync() => app.WithDbAsync(db => db.Set<DisclosureObjection>().CountAsync());

    private async Task<JsonObject> PublishResultAsync(long caseId, string title, HttpClient? client = null)
    {
        using var response = await (client ?? Cadre).PostAsJsonAsync($"/api/v1/cases/{caseId}/disclosures",
            new { kind = "Result", title, body = "村内路灯已全部修复，欢迎群众监督。" });
        var json = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, json.ToJsonString());
        return json;
    }

    private async Task<(string Challenge, string Solution)> ChallengeAsync(HttpClient client)
    {
        var challenge = (await client.GetFromJsonAsync<JsonObject>("/api/v1/public/reports/challenge"))!["challenge"]!.GetValue<string>();
        return (challenge, ProofOfWork.Solve(challenge));
    }

    private async Task<HttpResponseMessage> ObjectAsync(long disclosureId, string text, string? name = null, string? phone = null, bool consent = false,
        bool solve = true)
    {
        var client = app.AnonymousClient();
        var (challenge, solution) = await ChallengeAsync(client);
        return await client.PostAsJsonAsync($"/api/v1/public/disclosures/{disclosureId}/objections",
            new { text, name, phone, consent, challenge,
                solution = solve ? solution : Enumerable.Range(0, 1000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).First(s => !ProofOfWork.Solves(challenge, s, TestBits)) });
    }

    [Fact]
    public async Task DecisionOfAConfirmedMeeting_IsOnTheVillagesPublicPage_WithItsDatesAttendanceAndVote_AndOnTheCaseTimeline()
    {
        var (meetingId, caseId) = await DecidedMeetingAsync("村东道路硬化 " + Guid.NewGuid().ToString("N")[..6]);

        using var response = await Cadre.PostAsJsonAsync($"/api/v1/meetings/{meetingId}/agenda/1/disclosures",
            new { title = "关于村东道路硬化的决定", body = "经村民议事会表决，同意硬化村东道路，由村集体和群众共同出资。" });
        var json = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Decision", json["kind"]!.GetValue<string>());
        Assert.Equal("2026-11-26", json["from"]!.GetValue<string>());
        Assert.Equal("2026-12-02", json["until"]!.GetValue<string>()); // seven days, the first included
        Assert.Equal("SCH-MJC", json["unit"]!["code"]!.GetValue<string>());
        Assert.Equal(caseId, json["caseId"]!.GetValue<long>());

        var detail = await Town.GetCaseAsync(caseId);
        Assert.Equal("Disclose", detail.LastEvent()["action"]!.GetValue<string>());

        var (status, html) = await app.AnonymousClient().GetHtmlAsync("/public/SCH-MJC");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("村务公开栏", html);
        Assert.Contains("马家村", html);
        Assert.Contains("决定事项公示", html);
        Assert.Contains("关于村东道路硬化的决定", html);
        Assert.Contains("马家村议事会第四次会议", html);
        Assert.Contains("应到 5 人，实到 4 人", html);
        Assert.Contains("表决：赞成 3 票，反对 1 票，弃权 0 票", html);
        Assert.Contains("公示期 2026-11-26 至 2026-12-02", html);
        Assert.Contains("0932-4567890", html); // 监督电话 from the configuration
        Assert.Contains("size: A4 portrait", await (await app.AnonymousClient().GetAsync(Regex.Match(html, "href=\"(/assets/disclosure\\.css[^\"]*)\"").Groups[1].Value)).Content.ReadAsStringAsync());
        // Nobody's name: not the resident's, not the members'.
        Assert.DoesNotContain(Resident, html);
        Assert.DoesNotContain("王大成", html);

        var board = (await app.AnonymousClient().GetFromJsonAsync<JsonObject>("/api/v1/public/disclosures/SCH-MJC"))!;
        var item = board["current"]!.AsArray().Single(d => d!["id"]!.GetValue<long>() == json["id"]!.GetValue<long>())!;
        Assert.Equal(3, item["meeting"]!["votesFor"]!.GetValue<int>());
        Assert.Equal(4, item["meeting"]!["present"]!.GetValue<int>());
    }

    [Fact]
    public async Task DecisionOfAMeetingWithoutConfirmedMinutes_IsRefused_AndNothingIsSaved()
    {
        var (meetingId, caseId) = await DecidedMeetingAsync("未确认记录的议题 " + Guid.NewGuid().ToString("N")[..6], confirm: false);
        var before = await Town.SnapshotAsync(caseId);
        var count = await DisclosureCountAsync();

        using var response = await Cadre.PostAsJsonAsync($"/api/v1/meetings/{meetingId}/agenda/1/disclosures", new { title = "决定", body = "内容" });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Contains("会议记录确认后", problem.Errors()["meeting"]![0]!.GetValue<string>());
        using var unknownItem = await Cadre.PostAsJsonAsync($"/api/v1/meetings/{meetingId}/agenda/9/disclosures", new { title = "决定", body = "内容" });
        Assert.Equal(HttpStatusCode.NotFound, unknownItem.StatusCode);

        Assert.Equal(count, await DisclosureCountAsync());
        await Town.AssertUnchangedAsync(caseId, before);
    }

    [Fact]
    public async Task ResultOfAResolvedCase_IsShown_WhileAnOpenCaseHasNoResultToShow()
    {
        var id = await ResolvedCaseAsync("路灯维修 " + Guid.NewGuid().ToString("N")[..6]);
        var json = await PublishResultAsync(id, "村内路灯维修结果公示");
        Assert.Equal("Result", json["kind"]!.GetValue<string>());
        var (_, html) = await app.AnonymousClient().GetHtmlAsync("/public/SCH-MJC");
        Assert.Contains("实施结果公示", html);
        Assert.Contains("村内路灯维修结果公示", html);
        Assert.Contains("村内路灯已全部修复，欢迎群众监督。", html);
        var detail = await Town.GetCaseAsync(id);
        Assert.Equal("Disclose", detail.LastEvent()["action"]!.GetValue<string>());
        Assert.Equal(json["id"]!.GetValue<long>(), detail.LastEvent()["payload"]?["disclosureId"]?.GetValue<long>() ?? json["id"]!.GetValue<long>());

        var open = await Town.RegisterIdAsync(CaseApi.NewCase(title: "尚未办结 " + Guid.NewGuid().ToString("N")[..6]));
        await Town.DoAsync(open, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        var before = await Town.SnapshotAsync(open);
        var count = await DisclosureCountAsync();
        var problem = await Cadre.AssertFieldErrorAsync(open, "disclosures", new { kind = "Result", title = "结果", body = "内容" }, "kind");
        Assert.Contains("还没有实施结果", problem.Errors()["kind"]![0]!.GetValue<string>());
        await Town.AssertUnchangedAsync(open, before);
        Assert.Equal(count, await DisclosureCountAsync());
    }

    [Fact]
    public async Task AnObjectionDuringThePeriod_IsRecorded_AfterThePeriod_IsRefused()
    {
        var id = await ResolvedCaseAsync("异议测试 " + Guid.NewGuid().ToString("N")[..6]);
        var disclosure = (await PublishResultAsync(id, "异议测试公示"))["id"]!.GetValue<long>();

        using (var ok = await ObjectAsync(disclosure, "路灯还有两盏不亮。", "李秀英", "13700001111", consent: true))
        {
            var answer = await ok.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
            Assert.Matches("^YY\\d{6}$", answer["reference"]!.GetValue<string>());
        }
        var stored = await app.WithDbAsync(db => db.Set<DisclosureObjection>().SingleAsync(o => o.DisclosureId == disclosure));
        Assert.Equal("路灯还有两盏不亮。", stored.Text);
        Assert.Equal("13700001111", stored.ContactPhone);

        // Staff see the contact masked; revealing it is recorded.
        var objections = (await Cadre.GetFromJsonAsync<JsonArray>($"/api/v1/disclosures/{disclosure}/objections"))!;
        Assert.Equal("137****1111", objections[0]!["contactPhone"]!.GetValue<string>());
        Assert.Equal("李**", objections[0]!["contactName"]!.GetValue<string>());

        var count = await ObjectionCountAsync();
        // No proof of work: refused, nothing stored.
        using (var unsolved = await ObjectAsync(disclosure, "没有安全验证", solve: false))
        {
            await unsolved.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        }
        // A name without consent: refused next to the field.
        using (var noConsent = await ObjectAsync(disclosure, "留了名字没同意", "李秀英"))
        {
            var problem = await noConsent.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
            Assert.True(problem.Errors().ContainsKey("consent"));
        }
        Assert.Equal(count, await ObjectionCountAsync());

        app.Clock.Advance(TimeSpan.FromDays(7));
        try
        {
            using var late = await ObjectAsync(disclosure, "过了公示期");
            var problem = await late.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
            Assert.Contains("不在公示期内", problem["title"]!.GetValue<string>());
            Assert.Equal(count, await ObjectionCountAsync());
            // Past, it stays listed in the archive.
            var board = (await app.AnonymousClient().GetFromJsonAsync<JsonObject>("/api/v1/public/disclosures/SCH-MJC"))!;
            Assert.Contains(board["archive"]!.AsArray(), d => d!["id"]!.GetValue<long>() == disclosure);
            Assert.DoesNotContain(board["current"]!.AsArray(), d => d!["id"]!.GetValue<long>() == disclosure);
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromDays(-7));
        }
    }

    [Fact]
    public async Task ThePublicPageAndItsJson_CarryNoPersonalData()
    {
        var id = await ResolvedCaseAsync("个人信息测试 " + Guid.NewGuid().ToString("N")[..6]);
        await Town.DoAsync(id, "reporters", new { name = "钱多多", phone = "13800009999" });
        var disclosure = (await PublishResultAsync(id, "个人信息测试公示"))["id"]!.GetValue<long>();
        using (var objected = await ObjectAsync(disclosure, "我有意见", "孙秀兰", "13600008888", consent: true))
        {
            Assert.Equal(HttpStatusCode.Created, objected.StatusCode);
        }
        var trackingCode = (await Town.GetCaseAsync(id)).TrackingCode();

        var (_, html) = await app.AnonymousClient().GetHtmlAsync("/public/SCH-MJC");
        using var jsonResponse = await app.AnonymousClient().GetAsync("/api/v1/public/disclosures/SCH-MJC");
        var json = await jsonResponse.Content.ReadAsStringAsync();
        Assert.Contains("个人信息测试公示", html);
        Assert.Contains("个人信息测试公示", json);
        foreach (var secret in new[] { Resident, ResidentPhone, "钱多多", "13800009999", "孙秀兰", "13600008888", "我有意见", trackingCode, "已联系" })
        {
            Assert.DoesNotContain(secret, html);
            Assert.DoesNotContain(secret, json);
        }
    }

    [Fact]
    public async Task APhoneNumberInTheText_AMissingTitle_AndABackwardPeriod_AreRefused_AndChangeNothing()
    {
        var id = await ResolvedCaseAsync("坏输入 " + Guid.NewGuid().ToString("N")[..6]);
        var before = await Town.SnapshotAsync(id);
        var count = await DisclosureCountAsync();

        var phone = await Cadre.AssertFieldErrorAsync(id, "disclosures", new { kind = "Result", title = "结果", body = "请联系 139 1234 5678 了解详情" }, "body");
        Assert.Contains("电话号码", phone.Errors()["body"]![0]!.GetValue<string>());
        await Cadre.AssertFieldErrorAsync(id, "disclosures", new { kind = "Result", body = "内容" }, "title");
        await Cadre.AssertFieldErrorAsync(id, "disclosures", new { kind = "Whatever", title = "结果", body = "内容" }, "kind");
        await Cadre.AssertFieldErrorAsync(id, "disclosures", new { kind = "Result", title = "结果", body = "内容", from = "2026-11-30", until = "2026-11-28" }, "until");
        await Cadre.AssertFieldErrorAsync(id, "disclosures", new { kind = "Result", title = "结果", body = "内容", from = "2026-11-01" }, "from");
        await Cadre.AssertFieldErrorAsync(id, "disclosures", new { kind = "Result", title = "结果", body = "内容", from = "26/11/2026" }, "from");

        await Town.AssertUnchangedAsync(id, before);
        Assert.Equal(count, await DisclosureCountAsync());
    }

    [Fact]
    public async Task AnotherVillagesCadre_CannotPublish_SeeOrWithdraw()
    {
        var id = await ResolvedCaseAsync("范围测试 " + Guid.NewGuid().ToString("N")[..6]);
        var (meetingId, _) = await DecidedMeetingAsync("范围测试议题 " + Guid.NewGuid().ToString("N")[..6]);
        var other = app.SharedClientAs("cadre-wjc");
        var count = await DisclosureCountAsync();

        using (var r = await other.PostAsJsonAsync($"/api/v1/cases/{id}/disclosures", new { kind = "Result", title = "越权", body = "越权" }))
        {
            await r.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        using (var r = await other.PostAsJsonAsync($"/api/v1/meetings/{meetingId}/agenda/1/disclosures", new { title = "越权", body = "越权" }))
        {
            await r.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        using (var r = await app.SharedClientAs("agency").PostAsJsonAsync($"/api/v1/meetings/{meetingId}/agenda/1/disclosures", new { title = "越权", body = "越权" }))
        {
            Assert.True(r.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, r.StatusCode.ToString());
        }
        Assert.Equal(count, await DisclosureCountAsync());

        var mine = (await PublishResultAsync(id, "范围测试公示"))["id"]!.GetValue<long>();
        var list = (await other.GetFromJsonAsync<JsonArray>("/api/v1/disclosures"))!;
        Assert.DoesNotContain(list, d => d!["id"]!.GetValue<long>() == mine);
        using (var r = await other.PostAsJsonAsync($"/api/v1/disclosures/{mine}/withdraw", new { reason = "越权撤回" }))
        {
            await r.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        }
        Assert.Contains((await Cadre.GetFromJsonAsync<JsonArray>("/api/v1/disclosures?unit=SCH-MJC&open=true"))!, d => d!["id"]!.GetValue<long>() == mine);
    }

    [Fact]
    public async Task Withdrawing_TakesItOffThePublicPage_AndAnAnswerIsRecorded()
    {
        var id = await ResolvedCaseAsync("撤回测试 " + Guid.NewGuid().ToString("N")[..6]);
        var disclosure = (await PublishResultAsync(id, "撤回测试公示"))["id"]!.GetValue<long>();
        using (var objected = await ObjectAsync(disclosure, "请说明经费来源"))
        {
            Assert.Equal(HttpStatusCode.Created, objected.StatusCode);
        }
        var objection = (await Cadre.GetFromJsonAsync<JsonArray>($"/api/v1/disclosures/{disclosure}/objections"))![0]!["id"]!.GetValue<long>();
        using (var answered = await Cadre.PostAsJsonAsync($"/api/v1/disclosures/objections/{objection}/answer", new { answer = "经费来自村集体收入。" }))
        {
            var json = await answered.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            Assert.Equal("Answered", json["status"]!.GetValue<string>());
        }
        using (var empty = await Cadre.PostAsJsonAsync($"/api/v1/disclosures/{disclosure}/withdraw", new { reason = " " }))
        {
            await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        }
        using (var withdrawn = await Cadre.PostAsJsonAsync($"/api/v1/disclosures/{disclosure}/withdraw", new { reason = "公示内容有误，更正后重新公示" }))
        {
            Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        }
        var (_, html) = await app.AnonymousClient().GetHtmlAsync("/public/SCH-MJC");
        Assert.DoesNotContain("撤回测试公示", html);
        using var late = await ObjectAsync(disclosure, "撤回后的异议");
        await late.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
    }

    [Fact]
    public async Task AnUnknownCode_IsTheNotFoundPage_AndA404Problem()
    {
        var (status, html) = await app.AnonymousClient().GetHtmlAsync("/public/NO-SUCH-PLACE");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.DoesNotContain("村务公开栏", html);
        using var json = await app.AnonymousClient().GetAsync("/api/v1/public/disclosures/NO-SUCH-PLACE");
        await json.AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        // A partner unit has no notice board.
        using var partner = await app.AnonymousClient().GetAsync("/api/v1/public/disclosures/SCH-SFS");
        Assert.Equal(HttpStatusCode.NotFound, partner.StatusCode);
    }
}

public sealed class DisclosureSqliteApp : SqliteApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        DisclosureTests.Configure(builder);
    }
}

public sealed class DisclosurePostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        DisclosureTests.Configure(builder);
    }
}

public sealed class DisclosureTests_Sqlite(DisclosureSqliteApp app) : DisclosureTests(app), IClassFixture<DisclosureSqliteApp>;

public sealed class DisclosureTests_Postgres(DisclosurePostgresApp app) : DisclosureTests(app), IClassFixture<DisclosurePostgresApp>;
