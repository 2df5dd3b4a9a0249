using System.Net;
using Microsoft.AspNetCore.Hosting;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Data;
using Taizhang.Web.Demo;
using Taizhang.Web.Features.Residents;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Residents;

/// <summary>
/// 查询进度 and 群众自评: the public tracking page in a resident's words, with nothing private on it; the
/// self-service rating with the 评价码 (wrong codes counted and locked per case per day, one rating a
/// round, unsatisfied reopens); and the rating code shown to staff once, right after they register.
/// </summary>
public abstract partial class TrackingPageTests(TaizhangApp app)
{
    private const string ReporterName = "钱玉兰";
    private const string ReporterPhone = "13755551234";
    private const string InternalResult = "内部办理记录：已派维修班组更换灯具";
    private const string PublicReply = "路灯已修复，感谢您的反映。";

    private readonly HttpClient _town = app.SharedClientAs("town");

    [Fact]
    public async Task TrackPage_ShowsStagesAndStepsInPlainChinese_AndNothingPrivate()
    {
        var other = await RegisterAsync("另一位群众的事项");
        var description = $"村口路灯不亮，与{other.Code}是同一件事，电话{ReporterPhone}";
        var registered = await _town.RegisterAsync(new
        {
            channel = "Hotline", title = "村口路灯不亮", description, reporter = new { name = ReporterName, phone = ReporterPhone }, orgUnit = "SCH-MJC",
        });
        var id = registered.Id();
        var code = registered.TrackingCode();
        var ratingCode = registered["ratingCode"]!.GetValue<string>();

        var (fresh, freshHtml) = await app.AnonymousClient().GetHtmlAsync($"/track/{code}");
        Assert.Equal(HttpStatusCode.OK, fresh);
        Assert.Contains("data-stage=\"Received\"", freshHtml);
        Assert.Contains("已受理", Text(freshHtml));

        await _town.DoAsync(id, "triage", new { track = "Direct", urgency = "High", category = "roads", assigneeUnit = "SCH-MJC" });
        await _town.DoAsync(id, "start");
        var (_, handlingHtml) = await app.AnonymousClient().GetHtmlAsync($"/track/{code}");
        Assert.Contains("data-stage=\"InHandling\"", handlingHtml);
        Assert.Contains("正在办理", Text(handlingHtml));

        await _town.DoAsync(id, "return", new { reason = $"内部意见：应由镇里处理，见{other.Code}" });
        await _town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-WJC" });
        await _town.DoAsync(id, "transfer", new { toUnit = "SCH-NYZ", reason = "内部转办说明：归农业服务中心" });
        await _town.DoAsync(id, "resolve", new { outcome = "Solved", result = InternalResult + other.Code, publicReply = PublicReply });

        var (status, html) = await app.AnonymousClient().GetHtmlAsync($"/track/{code}");
        Assert.Equal(HttpStatusCode.OK, status);
        var text = Text(html);
        Assert.Contains("data-stage=\"Resolved\"", html);
        foreach (var said in new[] { "已办结", "已受理您反映的事项（投诉电话）", "已转交马家村办理", "马家村开始办理",
            "已转交王家村办理", "已改由镇农业服务中心办理", "已办结（已解决）", PublicReply, "道路交通", "承办单位", "镇农业服务中心" })
        {
            Assert.Contains(said, text);
        }
        // Each step a sentence that starts with its local date, as a resident says it.
        Assert.Matches(@"<li><time datetime=""[^""]+"" hidden></time>\d{1,2}月\d{1,2}日 已转交马家村办理</li>", html);
        Assert.Contains("id=\"rate-form\"", html);
        foreach (var secret in new[] { ReporterName, ReporterPhone, "1375555", description, "村口路灯不亮，与", "内部意见", "应由镇里处理", "内部转办说明",
            InternalResult, other.Code, "镇办受理员", "dev:", ratingCode, RatingCodes.Display(ratingCode) })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        }

        // The JSON look-up says the same, in the same limits.
        using var api = await app.AnonymousClient().TrackAsync(code);
        var json = await api.ReadJsonAsync();
        Assert.Equal(("Resolved", PublicReply, true, false, "镇农业服务中心"),
            (json["publicStage"]!.GetValue<string>(), json["publicReply"]!.GetValue<string>(), json["ratingOpen"]!.GetValue<bool>(),
                json["rated"]!.GetValue<bool>(), json["responsibleUnit"]!.GetValue<string>()));
        var body = json.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.DoesNotContain(InternalResult, body, StringComparison.Ordinal);
        Assert.DoesNotContain(other.Code, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrackForm_TakesWhatPeopleType_AndGoesToTheCasesOwnAddress()
    {
        var code = (await RegisterAsync("查询码格式")).Code;
        var client = app.AnonymousClient();

        var (formStatus, form) = await client.GetHtmlAsync("/track");
        Assert.Equal(HttpStatusCode.OK, formStatus);
        Assert.Contains("id=\"track-form\"", form);
        foreach (var typed in new[] { code.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal), " " + code[..4] + " " + code[5..] })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/track?code=" + Uri.EscapeDataString(typed));
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/track/" + code, response.Headers.Location?.OriginalString);
        }
        using var lower = await client.GetAsync("/track/" + code.ToLowerInvariant());
        Assert.Equal("/track/" + code, lower.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task UnknownOrMalformedCode_IsAFriendlyNotFound_WithTheHotlineHint()
    {
        var code = (await RegisterAsync("存在的事项")).Code;
        var other = (code[0] == '2' ? '3' : '2') + code[1..];
        var client = app.AnonymousClient();

        var (status, html) = await client.GetHtmlAsync("/track/" + other);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("没有找到这个查询码对应的事项", Text(html));
        Assert.Contains("便民服务热线", Text(html));
        Assert.DoesNotContain("id=\"case\"", html);

        var (malformed, malformedHtml) = await client.GetHtmlAsync("/track/" + Uri.EscapeDataString("abc<script>"));
        Assert.Equal(HttpStatusCode.NotFound, malformed);
        Assert.Contains("查询码是8位字母和数字", Text(malformedHtml));
        Assert.DoesNotContain("<script>", malformedHtml);
    }

    [Fact]
    public async Task Rating_WithTheRightCode_RecordsASelfServiceFollowUp_AndClosesTheCase()
    {
        var c = await ResolvedAsync("群众自评满意");
        var client = app.AnonymousClient();
        const string comment = "维修很及时，内部可见的留言";

        using var response = await PostRatingFormAsync(client, c.Code, RatingCodes.Display(c.Rating), "Satisfied", comment);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/track/" + c.Code, response.Headers.Location?.OriginalString);
        var (_, after) = await client.GetHtmlAsync("/track/" + c.Code);
        Assert.Contains("感谢您的评价", Text(after));
        Assert.Contains("本次办理结果已评价", Text(after));
        Assert.Contains("data-stage=\"FollowedUp\"", after);
        Assert.Contains("已回访，评价为“满意”", Text(after));
        Assert.DoesNotContain("id=\"rate-form\"", after);
        Assert.DoesNotContain(comment, Text(after));

        var detail = await _town.GetCaseAsync(c.Id);
        Assert.Equal("FollowedUp", detail.Status());
        var e = detail.LastEvent();
        Assert.Equal("FollowUp", e["action"]!.GetValue<string>());
        Assert.Equal(("System", "public:track", "群众自评"),
            (e["actor"]!["kind"]!.GetValue<string>(), e["actor"]!["id"]!.GetValue<string>(), e["actor"]!["name"]!.GetValue<string>()));
        Assert.Equal("SelfService", e["payload"]!["method"]!.GetValue<string>());
        Assert.Equal("Satisfied", e["payload"]!["satisfaction"]!.GetValue<string>());
        Assert.Equal(comment, e["reason"]!.GetValue<string>());
        // Staff see the comment and how the verdict came, on the case page.
        var (_, casePage) = await _town.GetHtmlAsync($"/cases/{c.Id}");
        Assert.Contains("（群众自评）", Text(casePage));
        Assert.Contains(comment, Text(casePage));
        Assert.Equal(0, await AttemptsAsync(c.Id));
    }

    [Fact]
    public async Task Rating_WithAWrongCode_IsRefusedAndCounted_AndChangesNothing()
    {
        var c = await ResolvedAsync("评价码错误");
        var wrong = c.Rating[0] == '1' ? "2" + c.Rating[1..] : "1" + c.Rating[1..];

        using var response = await RateApiAsync(c.Code, wrong, "Satisfied");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.Contains("4", problem.Errors()["ratingCode"]![0]!.GetValue<string>());
        Assert.Equal(1, await AttemptsAsync(c.Id));
        Assert.Equal("Resolved", (await _town.GetCaseAsync(c.Id)).Status());

        // On the page: the message beside the field, what was typed kept.
        using var page = await PostRatingFormAsync(app.AnonymousClient(), c.Code, wrong, "BasicallySatisfied", "留言保留");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("id=\"ratingCode-error\"", html);
        Assert.Contains("评价码不正确，今天还可以再试 3 次", Text(html));
        Assert.Contains("留言保留", Text(html));
        Assert.Contains("value=\"BasicallySatisfied\" checked=\"checked\"", html);
        Assert.Equal(2, await AttemptsAsync(c.Id));
    }

    [Fact]
    public async Task Rating_Unsatisfied_Reopens_ASecondRatingIsRefused_AndANewResolutionMayBeRatedAgain()
    {
        var c = await ResolvedAsync("群众自评不满意");

        using (var first = await RateApiAsync(c.Code, c.Rating, "Unsatisfied", "灯还是不亮"))
        {
            var json = await first.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.True(json["reopened"]!.GetValue<bool>());
        }
        var reopened = await _town.GetCaseAsync(c.Id);
        Assert.Equal("Reopened", reopened.Status());
        Assert.Equal(1, reopened["reopenCount"]!.GetValue<int>());
        Assert.Equal("SelfService", reopened.LastEvent()["payload"]!["method"]!.GetValue<string>());
        Assert.True(reopened.LastEvent()["payload"]!["reopened"]!.GetValue<bool>());

        using (var again = await RateApiAsync(c.Code, c.Rating, "Satisfied"))
        {
            var problem = await again.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
            Assert.Equal("track.already-rated", problem["code"]!.GetValue<string>());
        }
        var (_, page) = await app.AnonymousClient().GetHtmlAsync("/track/" + c.Code);
        Assert.Contains("评价为“不满意”，事项重新办理", Text(page));
        Assert.Contains("data-stage=\"InHandling\"", page);

        await _town.DoAsync(c.Id, "assign", new { unit = "SCH-MJC" });
        await _town.DoAsync(c.Id, "resolve", new { outcome = "Solved", result = "第二次办理，已更换灯具。", publicReply = "已重新更换灯具。" });
        // The staff timeline: a result written with its full stop, then the reply, one full stop between them.
        var (_, casePage) = await _town.GetHtmlAsync($"/cases/{c.Id}");
        Assert.Contains("第二次办理，已更换灯具。答复意见：已重新更换灯具。", Text(casePage), StringComparison.Ordinal);
        using var api = await app.AnonymousClient().TrackAsync(c.Code);
        var tracked = await api.ReadJsonAsync();
        Assert.True(tracked["ratingOpen"]!.GetValue<bool>());
        Assert.False(tracked["rated"]!.GetValue<bool>());

        using (var second = await RateApiAsync(c.Code, c.Rating, "BasicallySatisfied"))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }
        Assert.Equal("FollowedUp", (await _town.GetCaseAsync(c.Id)).Status());
        using var third = await RateApiAsync(c.Code, c.Rating, "Satisfied");
        await third.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
    }

    [Fact]
    public async Task StaffFollowUp_TakesAMethod_PhoneByDefault_NeverSelfService()
    {
        var byDefault = await ResolvedAsync("电话回访");
        var phone = await _town.DoAsync(byDefault.Id, "follow-up", new { satisfaction = "Satisfied" });
        Assert.Equal("Phone", phone.LastEvent()["payload"]!["method"]!.GetValue<string>());

        var visited = await ResolvedAsync("上门回访");
        await _town.AssertFieldErrorAsync(visited.Id, "follow-up", new { satisfaction = "Satisfied", method = "SelfService" }, "method");
        await _town.AssertFieldErrorAsync(visited.Id, "follow-up", new { satisfaction = "Satisfied", method = "Carrier pigeon" }, "method");
        var visit = await _town.DoAsync(visited.Id, "follow-up", new { satisfaction = "BasicallySatisfied", method = "Visit" });
        Assert.Equal("Visit", visit.LastEvent()["payload"]!["method"]!.GetValue<string>());
        var (_, page) = await _town.GetHtmlAsync($"/cases/{visited.Id}");
        Assert.Contains("（上门回访）", Text(page));
    }

    [Fact]
    public async Task Resolve_KeepsThePublicReplyApart_AndRefusesATooLongOne()
    {
        var c = await RegisterAsync("答复意见");
        await _town.DoAsync(c.Id, "triage", new { track = "Direct", urgency = "Normal", assigneeUnit = "SCH-MJC" });
        await _town.AssertFieldErrorAsync(c.Id, "resolve", new { outcome = "Solved", result = "结果", publicReply = new string('答', 1001) }, "publicReply");
        var resolved = await _town.DoAsync(c.Id, "resolve", new { outcome = "Solved", result = InternalResult, publicReply = PublicReply });
        Assert.Equal((PublicReply, InternalResult), (resolved["publicReply"]!.GetValue<string>(), resolved["result"]!.GetValue<string>()));
        var (_, page) = await _town.GetHtmlAsync($"/cases/{c.Id}");
        Assert.Contains("data-field=\"publicReply\">" + PublicReply, Text(page));
    }

    [Fact]
    public async Task RatingForm_WithoutItsAntiforgeryToken_IsRefused_AndNothingCounted()
    {
        var c = await ResolvedAsync("无令牌提交");
        using var response = await app.AnonymousClient().PostFormAsync("/track/" + c.Code, ("ratingCode", c.Rating), ("satisfaction", "Satisfied"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await AttemptsAsync(c.Id));
        Assert.Equal("Resolved", (await _town.GetCaseAsync(c.Id)).Status());
    }

    [Fact]
    public async Task Rating_BeforeResolution_IsRefused_AndNotCounted()
    {
        var c = await RegisterAsync("尚未办结");
        using var response = await RateApiAsync(c.Code, c.Rating, "Satisfied");
        var problem = await response.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "business-rule");
        Assert.Equal("track.not-resolved", problem["code"]!.GetValue<string>());
        Assert.Equal(0, await AttemptsAsync(c.Id));
        Assert.Equal("Registered", (await _town.GetCaseAsync(c.Id)).Status());
    }

    [Fact]
    public async Task Rating_AfterFiveWrongCodes_IsLockedForTheDay_EvenWithTheRightCode_ThenOpensTheNextDay()
    {
        var c = await ResolvedAsync("评价码锁定");
        var wrong = c.Rating[0] == '1' ? "2" + c.Rating[1..] : "1" + c.Rating[1..];
        for (var i = 0; i < 5; i++)
        {
            using var refused = await RateApiAsync(c.Code, wrong, "Satisfied");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using (var locked = await RateApiAsync(c.Code, c.Rating, "Satisfied"))
        {
            var problem = await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
            Assert.Contains("今天评价码输入错误次数过多", problem["title"]!.GetValue<string>());
            Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }
        using (var page = await PostRatingFormAsync(app.AnonymousClient(), c.Code, c.Rating, "Satisfied", ""))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
            Assert.Contains("今天评价码输入错误次数过多", Text(await page.Content.ReadAsStringAsync()));
        }
        Assert.Equal("Resolved", (await _town.GetCaseAsync(c.Id)).Status());
        Assert.Equal(5, await AttemptsAsync(c.Id));

        app.Clock.Advance(TimeSpan.FromDays(1));
        using var nextDay = await RateApiAsync(c.Code, c.Rating, "Satisfied");
        Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
        Assert.Equal(0, await AttemptsAsync(c.Id));
    }

    [Fact]
    public async Task Rating_Lock_IsInTheDatabase_SoARestartDoesNotForgiveIt()
    {
        var c = await ResolvedAsync("重启后仍锁定");
        // What an earlier process (or another node) left: five wrong codes today, nothing of it in this process's memory.
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.WithDbAsync(async db =>
        {
            var town = db.Cases.Where(x => x.Id == c.Id).Select(x => x.TownId).Single();
            db.RatingAttempts.AddRange(Enumerable.Range(0, 5).Select(i => new RatingAttempt { CaseId = c.Id, TownId = town, At = now.AddMinutes(-i) }));
            return await db.SaveChangesAsync();
        });

        using var locked = await RateApiAsync(c.Code, c.Rating, "Satisfied");
        await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
        Assert.Equal("Resolved", (await _town.GetCaseAsync(c.Id)).Status());
    }

    [Fact]
    public async Task Hotline_ShowsTheTrackingAndRatingCodesOnce_AndKeepsTheConsent()
    {
        var operatorClient = app.SharedClientAs("operator");
        var (_, form) = await operatorClient.GetHtmlAsync("/hotline");
        Assert.Contains("name=\"contactConsent\"", form);
        Assert.Contains("群众同意接收办理进度短信通知并同意处理其个人信息", Text(form));
        var title = "来电评价码 " + Guid.NewGuid().ToString("N")[..8];

        using var response = await operatorClient.PostFormAsync("/hotline",
            ("key", FieldValue(form, "key")), ("phone", "13912345678"), ("name", "李秀英"), ("orgUnit", "SCH-MJC"), ("urgency", "Normal"),
            ("title", title), ("description", "路灯坏了"), ("contactConsent", "true"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var (_, shown) = await operatorClient.GetHtmlAsync("/hotline");
        var id = Assert.Single((await operatorClient.ListAsync("q=" + Uri.EscapeDataString(title))).ItemIds());
        await AssertReadOutAsync(shown, id);
        Assert.True(await app.WithDbAsync(db => db.CaseReporters.Where(r => r.CaseId == id).Select(r => r.ContactConsent).SingleAsync()));

        var (_, again) = await operatorClient.GetHtmlAsync("/hotline");
        Assert.DoesNotContain("id=\"read-out\"", again);
    }

    [Fact]
    public async Task Desk_ShowsTheTrackingAndRatingCodesOnce_AndKeepsTheConsent()
    {
        var (_, form) = await _town.GetHtmlAsync("/cases/new");
        Assert.Contains("name=\"contactConsent\"", form);
        var title = "来访评价码 " + Guid.NewGuid().ToString("N")[..8];

        using var response = await _town.PostFormAsync("/cases/new",
            ("key", FieldValue(form, "key")), ("channel", "WalkIn"), ("orgUnit", "SCH-MJC-1"), ("name", "张桂兰"), ("phone", "13912345678"),
            ("urgency", "Normal"), ("title", title), ("description", title + "：路面塌陷。"), ("contactConsent", "true"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var (_, shown) = await _town.GetHtmlAsync("/cases/new");
        var id = Assert.Single((await _town.ListAsync("q=" + Uri.EscapeDataString(title))).ItemIds());
        await AssertReadOutAsync(shown, id);
        Assert.True(await app.WithDbAsync(db => db.CaseReporters.Where(r => r.CaseId == id).Select(r => r.ContactConsent).SingleAsync()));

        var (_, again) = await _town.GetHtmlAsync("/cases/new");
        Assert.DoesNotContain("id=\"read-out\"", again);
    }

    [Fact]
    public async Task RatingCode_IsNeverShownToStaffAnywhereElse()
    {
        var c = await ResolvedAsync("评价码不外露");
        var forms = new[] { c.Rating, RatingCodes.Display(c.Rating) };

        var places = new List<(string Where, string Body)>();
        foreach (var url in new[] { $"/cases/{c.Id}", "/cases", "/cases?q=" + Uri.EscapeDataString("评价码不外露"), $"/cases/print?q={Uri.EscapeDataString("评价码不外露")}" })
        {
            var (_, html) = await _town.GetHtmlAsync(url);
            places.Add((url, html));
        }
        foreach (var url in new[] { $"/api/v1/cases/{c.Id}", "/api/v1/cases", "/cases/export.csv", "/api/v1/cases/export.csv" })
        {
            using var response = await _town.GetAsync(url);
            Assert.True(response.IsSuccessStatusCode, url + ": " + response.StatusCode);
            places.Add((url, await response.Content.ReadAsStringAsync()));
        }
        Assert.Contains(places, p => p.Body.Contains(c.Code, StringComparison.Ordinal));
        foreach (var (where, body) in places)
        {
            foreach (var form in forms)
            {
                Assert.False(body.Contains(form, StringComparison.Ordinal), $"{where} shows the rating code");
            }
        }
    }

    [Fact]
    public async Task RegisterCase_GivesARatingCodeThatMatches_AgainForTheSameKey_NotForARepeatByReference()
    {
        var key = "key-" + Guid.NewGuid().ToString("N");
        var first = await _town.RegisterAsync(CaseApi.NewCase(title: "带幂等键的登记"), key);
        var code = first["ratingCode"]!.GetValue<string>();
        Assert.Matches("^[0-9]{8}$", code);
        var hash = await app.WithDbAsync(db => db.Cases.Where(x => x.Id == first.Id()).Select(x => x.RatingCodeHash).SingleAsync());
        var ratingKey = await app.Services.GetRequiredService<RatingCodes>().KeyAsync(CancellationToken.None);
        Assert.True(RatingCodes.Matches(ratingKey, first.TrackingCode(), code, hash));

        var repeat = await _town.RegisterAsync(CaseApi.NewCase(title: "带幂等键的登记"), key);
        Assert.Equal((first.Id(), code), (repeat.Id(), repeat["ratingCode"]!.GetValue<string>()));

        var (integration, _) = await app.IntegrationAsync();
        var reference = "REF-" + Guid.NewGuid().ToString("N")[..10];
        var byRef = await integration.RegisterAsync(CaseApi.NewCase(title: "上级转办", channel: "HigherLevel", externalRef: reference));
        Assert.NotNull(byRef["ratingCode"]);
        var again = await integration.RegisterAsync(CaseApi.NewCase(title: "上级转办", channel: "HigherLevel", externalRef: reference));
        Assert.Equal(byRef.Id(), again.Id());
        Assert.Null(again["ratingCode"]);
    }

    private async Task AssertReadOutAsync(string html, long id)
    {
        var c = await _town.GetCaseAsync(id);
        var readOut = ReadOut().Match(html);
        Assert.True(readOut.Success, "no read-out on the page");
        Assert.Contains("您的查询码是", Text(readOut.Value));
        Assert.Equal(c.TrackingCode(), CodeIn(readOut.Value, "tracking"));
        var shownRating = CodeIn(readOut.Value, "rating").Replace(" ", "", StringComparison.Ordinal);
        var hash = await app.WithDbAsync(db => db.Cases.Where(x => x.Id == id).Select(x => x.RatingCodeHash).SingleAsync());
        var ratingKey = await app.Services.GetRequiredService<RatingCodes>().KeyAsync(CancellationToken.None);
        Assert.True(RatingCodes.Matches(ratingKey, c.TrackingCode(), shownRating, hash), "the code shown is the case's");
        // Nowhere else for staff: not on the case page.
        var (_, casePage) = await _town.GetHtmlAsync($"/cases/{id}");
        Assert.DoesNotContain(shownRating, casePage);
        Assert.DoesNotContain(RatingCodes.Display(shownRating), casePage);
    }

    private static string CodeIn(string html, string which) =>
        Regex.Match(html, $"data-code=\"{which}\">([^<]+)<").Groups[1].Value;

    [GeneratedRegex("<p class=\"notice read-out\"[\\s\\S]*?</p>")]
    private static partial Regex ReadOut();

    private async Task<(long Id, string Code, string Rating)> RegisterAsync(string title)
    {
        var c = await _town.RegisterAsync(CaseApi.NewCase(title: title + " " + Guid.NewGuid().ToString("N")[..6], reporterName: ReporterName, phone: ReporterPhone));
        return (c.Id(), c.TrackingCode(), c["ratingCode"]!.GetValue<string>());
    }

    private async Task<(long Id, string Code, string Rating)> ResolvedAsync(string title)
    {
        var c = await RegisterAsync(title);
        await _town.DoAsync(c.Id, "triage", new { track = "Direct", urgency = "Normal", assigneeUnit = "SCH-MJC" });
        await _town.DoAsync(c.Id, "resolve", new { outcome = "Solved", result = InternalResult, publicReply = PublicReply });
        return c;
    }

    private Task<int> AttemptsAsync(long caseId) => app.WithDbAsync(db => db.RatingAttempts.CountAsync(a => a.CaseId == caseId));

    private Task<HttpResponseMessage> RateApiAsync(string code, string ratingCode, string satisfaction, string? comment = null) =>
        app.AnonymousClient().PostAsJsonAsync($"/api/v1/track/{code}/rating", new { ratingCode, satisfaction, comment });

    /// <summary>As a phone's browser does: GET the page (antiforgery cookie and field), then POST the form.</summary>
    public static async Task<HttpResponseMessage> PostRatingFormAsync(HttpClient client, string code, string ratingCode, string satisfaction, string comment)
    {
        var (_, html) = await client.GetHtmlAsync("/track/" + code);
        return await client.PostFormAsync("/track/" + code,
            ("__RequestVerificationToken", FieldValue(html, "__RequestVerificationToken")),
            ("ratingCode", ratingCode), ("satisfaction", satisfaction), ("comment", comment));
    }

    private static string FieldValue(string html, string name) =>
        Regex.Match(html, $"name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value
        : Regex.Match(html, $"value=\"([^\"]*)\"[^>]*name=\"{Regex.Escape(name)}\"") is { Success: true } n ? n.Groups[1].Value
        : throw new Xunit.Sdk.XunitException($"no {name} field");

    private static string Text(string html) => WebUtility.HtmlDecode(html);
}

public sealed class TrackingPageTests_Sqlite(SqliteApp app) : TrackingPageTests(app), IClassFixture<SqliteApp>;

public sealed class TrackingPageTests_Postgres(PostgresApp app) : TrackingPageTests(app), IClassFixture<PostgresApp>;

/// <summary>Rating attempts per client address: a bucket of their own (RateLimits:RatingPerHour), shared by the page and the API.</summary>
public abstract class RatingAddressLimitTests(TaizhangApp app)
{
    [Fact]
    public async Task RatingAttempts_AreLimitedPerAddress_PageAndApiTogether_LookingUpIsNot()
    {
        var town = app.SharedClientAs("town");
        var code = (await town.RegisterAsync(CaseApi.NewCase(title: "按地址限流"))).TrackingCode();
        var client = app.AnonymousClient();
        for (var i = 0; i < RatingLimitedSqliteApp.PerHour; i++)
        {
            // Unknown codes: refused (404), and counted by the address's bucket all the same.
            using var attempt = await client.PostAsJsonAsync($"/api/v1/track/ZZZZ-ZZZ{i + 2}/rating", new { ratingCode = "12345678", satisfaction = "Satisfied" });
            Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
        }

        using var api = await client.PostAsJsonAsync($"/api/v1/track/{code}/rating", new { ratingCode = "12345678", satisfaction = "Satisfied" });
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        using var page = await client.PostFormAsync("/track/" + code, ("ratingCode", "12345678"), ("satisfaction", "Satisfied"));
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);

        var (status, _) = await client.GetHtmlAsync("/track/" + code);
        Assert.Equal(HttpStatusCode.OK, status);
        using var track = await client.TrackAsync(code);
        Assert.Equal(HttpStatusCode.OK, track.StatusCode);
    }
}

public class RatingLimitedSqliteApp : SqliteApp
{
    public const int PerHour = 3;

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:RatingPerHour", PerHour.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public class RatingLimitedPostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("RateLimits:RatingPerHour", RatingLimitedSqliteApp.PerHour.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class RatingAddressLimitTests_Sqlite(RatingLimitedSqliteApp app) : RatingAddressLimitTests(app), IClassFixture<RatingLimitedSqliteApp>;

public sealed class RatingAddressLimitTests_Postgres(RatingLimitedPostgresApp app) : RatingAddressLimitTests(app), IClassFixture<RatingLimitedPostgresApp>;

/// <summary>The demo's documented rating code: the latest resolved case gets it, the console names that case, and it rates.</summary>
public abstract class DemoRatingTests(TaizhangApp app)
{
    [Fact]
    public async Task DemoRating_GivesTheLatestResolvedCaseTheDocumentedCode_OnceAndAgainAfterItIsRated()
    {
        var town = app.SharedClientAs("town");
        var ids = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            // A case as the demo seeds it: no rating code of its own.
            var id = await town.RegisterIdAsync(CaseApi.NewCase(title: "演示评价 " + i));
            await app.WithDbAsync(db => db.Cases.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.RatingCodeHash, (string?)null)));
            await town.DoAsync(id, "triage", new { track = "Direct", urgency = "Normal", assigneeUnit = "SCH-MJC" });
            app.Clock.Advance(TimeSpan.FromMinutes(5));
            await town.DoAsync(id, "resolve", new { outcome = "Solved", result = "演示" });
            ids.Add(id);
        }
        var key = await app.Services.GetRequiredService<RatingCodes>().KeyAsync(CancellationToken.None);
        var console = new StringWriter();

        var chosen = await app.WithDbAsync(db => DemoRating.AssignAsync(db, key, console));
        var again = await app.WithDbAsync(db => DemoRating.AssignAsync(db, key, console));

        var latest = (await town.GetCaseAsync(ids[1])).TrackingCode();
        Assert.Equal((latest, latest), (chosen, again));
        Assert.Contains($"/track/{latest} with the rating code 2026 0606", console.ToString());
        using (var rated = await app.AnonymousClient().PostAsJsonAsync($"/api/v1/track/{latest}/rating", new { ratingCode = "2026 0606", satisfaction = "Satisfied" }))
        {
            Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        }
        // Rated: the next start gives the code to the next resolved case.
        var next = await app.WithDbAsync(db => DemoRating.AssignAsync(db, key, console));
        Assert.Equal((await town.GetCaseAsync(ids[0])).TrackingCode(), next);
    }
}

public sealed class DemoRatingTests_Sqlite(SqliteApp app) : DemoRatingTests(app), IClassFixture<SqliteApp>;

public sealed class DemoRatingTests_Postgres(PostgresApp app) : DemoRatingTests(app), IClassFixture<PostgresApp>;
