using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Disclosures;
using Taizhang.Web.Features.Residents;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Disclosures;

/// <summary>The pages of 公示 as a browser uses them: the public objection form, the staff list, the publish form, the case page's buttons.</summary>
public abstract partial class DisclosureTests
{
    private static string Value(string html, string name) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"""name="{name}"[^>]*?value="([^"]*)" """.TrimEnd()).Groups[1].Value);

    private static void AssertEveryPostFormHasItsToken(string html, string page)
    {
        var forms = Regex.Matches(html, "<form[^>]*method=\"post\"[^>]*>(.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        Assert.NotEmpty(forms);
        foreach (Match form in forms)
        {
            Assert.True(form.Value.Contains("name=\"__RequestVerificationToken\"", StringComparison.Ordinal), $"{page}: a form without its token");
        }
    }

    private static (string Name, string Value)[] ObjectionFields(string html, long disclosure, string text, string? solution = null,
        params (string Name, string Value)[] extra)
    {
        var challenge = Value(html, "challenge");
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Value(html, "__RequestVerificationToken"),
            ["disclosure"] = disclosure.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["key"] = Value(html, "key"),
            ["challenge"] = challenge,
            ["solution"] = solution ?? ProofOfWork.Solve(challenge),
            ["website"] = "",
            ["text"] = text,
            ["name"] = "",
            ["phone"] = "",
        };
        foreach (var (n, v) in extra)
        {
            fields[n] = v;
        }
        return fields.Select(kv => (kv.Key, kv.Value)).ToArray();
    }

    [Fact]
    public async Task PublicPage_AnObjectionPostedFromTheForm_IsReceivedWithAReference_ARefusalKeepsTheText()
    {
        var id = await ResolvedCaseAsync("页面异议 " + Guid.NewGuid().ToString("N")[..6]);
        var disclosure = (await PublishResultAsync(id, "页面异议测试公示"))["id"]!.GetValue<long>();
        var client = app.AnonymousClient();
        var (status, html) = await client.GetHtmlAsync("/public/SCH-MJC");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"id=\"disclosure-{disclosure}\"", html);
        AssertEveryPostFormHasItsToken(html, "/public/SCH-MJC");
        var count = await ObjectionCountAsync();

        // A name without consent: the message on the form, the text kept, nothing stored.
        using (var refused = await client.PostFormAsync("/public/SCH-MJC?handler=Object",
            ObjectionFields(html, disclosure, "第三盏路灯还是不亮", extra: ("name", "周秀梅"))))
        {
            var page = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("第三盏路灯还是不亮</textarea>", page);
            Assert.Contains("请勾选同意", page);
            // A field's message only: no empty message box above the form.
            Assert.DoesNotMatch(new Regex("<div class=\"errors\" role=\"alert\"[^>]*>\\s*</div>"), page);
        }
        // The honeypot filled: refused with the same words as any refusal.
        using (var bot = await client.PostFormAsync("/public/SCH-MJC?handler=Object",
            ObjectionFields(html, disclosure, "机器人填写", extra: ("website", "http://spam.example"))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bot.StatusCode);
            Assert.Contains("机器人填写</textarea>", await bot.Content.ReadAsStringAsync());
        }
        Assert.Equal(count, await ObjectionCountAsync());

        (_, html) = await client.GetHtmlAsync("/public/SCH-MJC");
        using var ok = await client.PostFormAsync("/public/SCH-MJC?handler=Object", ObjectionFields(html, disclosure, "第三盏路灯还是不亮"));
        var answer = await ok.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("已收到您的异议", answer);
        var reference = Regex.Match(answer, "<output class=\"reference\">(YY\\d{6})</output>").Groups[1].Value;
        Assert.NotEmpty(reference);
        Assert.Equal(count + 1, await ObjectionCountAsync());
        var stored = await app.WithDbAsync(db => db.Set<DisclosureObjection>().OrderByDescending(o => o.Id).FirstAsync());
        Assert.Equal(DisclosureObjection.ReferenceOf(stored.Id), reference);
        Assert.Equal("第三盏路灯还是不亮", stored.Text);

        // The same form sent again (a double submit): the same answer, no second objection.
        using var again = await client.PostFormAsync("/public/SCH-MJC?handler=Object", ObjectionFields(html, disclosure, "第三盏路灯还是不亮"));
        Assert.Contains($"<output class=\"reference\">{reference}</output>", await again.Content.ReadAsStringAsync());
        Assert.Equal(count + 1, await ObjectionCountAsync());
    }

    [Fact]
    public async Task StaffPages_ListWithObjectionCounts_AnswerAndWithdraw_PublishFromTheCasePage()
    {
        var id = await ResolvedCaseAsync("员工页面 " + Guid.NewGuid().ToString("N")[..6]);

        // The case page offers the result's disclosure; the publish form is pre-filled with the public reply, not the internal result.
        var (_, casePage) = await Cadre.GetHtmlAsync($"/cases/{id}");
        Assert.Contains($"href=\"/disclosures/new?case={id}&amp;kind=Result\"", casePage);
        Assert.Contains("公示实施结果", casePage);
        Assert.Contains("href=\"/disclosures\"", casePage); // the staff's 公示 link
        var (status, form) = await Cadre.GetHtmlAsync($"/disclosures/new?case={id}&kind=Result");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("路灯已全部修复。</textarea>", form);
        Assert.DoesNotContain("已联系", form);
        Assert.DoesNotContain(ResidentPhone, form);
        AssertEveryPostFormHasItsToken(form, "/disclosures/new");

        var count = await DisclosureCountAsync();
        using (var refused = await Cadre.PostFormAsync($"/disclosures/new?case={id}&kind=Result",
            ("title", "路灯修复公示"), ("body", "有问题请打13912345678"), ("from", "2026-11-26"), ("until", "2026-12-02")))
        {
            var page = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("id=\"body-error\"", page);
            Assert.Contains("有问题请打13912345678</textarea>", page);
        }
        Assert.Equal(count, await DisclosureCountAsync());
        using (var published = await Cadre.PostFormAsync($"/disclosures/new?case={id}&kind=Result",
            ("title", "路灯修复公示"), ("body", "路灯已全部修复。"), ("from", "2026-11-26"), ("until", "2026-12-02")))
        {
            Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
            Assert.Equal($"/cases/{id}", published.Headers.Location!.OriginalString);
        }
        var disclosure = await app.WithDbAsync(db => db.Set<Disclosure>().Where(d => d.CaseId == id).Select(d => d.Id).SingleAsync());
        using (var objected = await ObjectAsync(disclosure, "请公布维修费用"))
        {
            Assert.Equal(HttpStatusCode.Created, objected.StatusCode);
        }

        var (_, list) = await Cadre.GetHtmlAsync("/disclosures");
        Assert.Contains("路灯修复公示", list);
        Assert.Contains("异议 1 条，待答复 1 条", list);
        Assert.Contains("请公布维修费用", list);
        AssertEveryPostFormHasItsToken(list, "/disclosures");
        var (filterStatus, filtered) = await Cadre.GetHtmlAsync("/disclosures?unit=NO-SUCH");
        Assert.Equal(HttpStatusCode.BadRequest, filterStatus);
        Assert.Contains("没有编码为「NO-SUCH」的组织单位", filtered);
        var objection = await app.WithDbAsync(db => db.Set<DisclosureObjection>().Where(o => o.DisclosureId == disclosure).Select(o => o.Id).SingleAsync());
        using (var answered = await Cadre.PostFormAsync($"/disclosures?handler=Answer&objection={objection}", ("answer", "维修费用共 3200 元，已在村务公开栏公布。")))
        {
            Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        }
        Assert.Equal(ObjectionStatus.Answered, await app.WithDbAsync(db => db.Set<DisclosureObjection>().Where(o => o.Id == objection).Select(o => o.Status).SingleAsync()));
        using (var empty = await Cadre.PostFormAsync($"/disclosures?handler=Withdraw&disclosure={disclosure}", ("reason", "")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Contains("role=\"alert\"", await empty.Content.ReadAsStringAsync());
        }
        using (var withdrawn = await Cadre.PostFormAsync($"/disclosures?handler=Withdraw&disclosure={disclosure}", ("reason", "内容有误")))
        {
            Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        }
        Assert.NotNull(await app.WithDbAsync(db => db.Set<Disclosure>().Where(d => d.Id == disclosure).Select(d => d.WithdrawnAt).SingleAsync()));

        // Who may not disclose gets no link and no page.
        var (_, operatorBoard) = await app.SharedClientAs("operator").GetHtmlAsync("/board");
        Assert.DoesNotContain("href=\"/disclosures\"", operatorBoard);
        var (operatorStatus, _) = await app.SharedClientAs("operator").GetHtmlAsync("/disclosures");
        Assert.Equal(HttpStatusCode.Forbidden, operatorStatus);
    }

    [Fact]
    public async Task PublishForm_ForAMeetingsAgendaItem_IsPrefilledWithItsOutcome_AndPublishes()
    {
        var (meetingId, caseId) = await DecidedMeetingAsync("会议页面 " + Guid.NewGuid().ToString("N")[..6]);
        var url = $"/disclosures/new?meeting={meetingId}&item=1";
        var (meetingStatus, before) = await Cadre.GetHtmlAsync($"/meetings/{meetingId}");
        Assert.Equal(HttpStatusCode.OK, meetingStatus);
        Assert.Contains($"href=\"/disclosures/new?meeting={meetingId}&amp;item=1\"", before);
        var (status, form) = await Cadre.GetHtmlAsync(url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("同意硬化村东道路，由村集体和群众共同出资。</textarea>", form);
        Assert.Contains("马家村议事会第四次会议", form);
        using var published = await Cadre.PostFormAsync(url, ("title", "村东道路硬化决定"), ("body", "同意硬化村东道路。"), ("from", ""), ("until", ""));
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);
        var d = await app.WithDbAsync(db => db.Set<Disclosure>().SingleAsync(x => x.MeetingId == meetingId));
        Assert.Equal(caseId, d.CaseId);
        Assert.Equal(new DateOnly(2026, 12, 2), d.Until);
        // The meeting page no longer offers to disclose the item again: it says when, and links the notice board.
        var (_, after) = await Cadre.GetHtmlAsync($"/meetings/{meetingId}");
        Assert.DoesNotContain($"/disclosures/new?meeting={meetingId}&amp;item=1", after);
        Assert.Contains("已于 2026-11-26 至 2026-12-02 公示", after);
        Assert.Contains($"href=\"/public/SCH-MJC#disclosure-{d.Id}\"", after);
        var (otherStatus, _) = await app.SharedClientAs("cadre-wjc").GetHtmlAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, otherStatus);
    }
}

/// <summary>The objections' hourly bucket per address (RateLimits:ObjectionPerHour), with a budget of two.</summary>
public abstract class DisclosureRateLimitTests(TaizhangApp app)
{
    public static void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Residents:ProofOfWorkBits", DisclosureTests.TestBits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:ObjectionPerHour", "2");
    }

    [Fact]
    public async Task BeyondTheHoursBudget_AnObjectionIsRefused_OnTheApiAndOnTheForm_WithTheTextKept()
    {
        var town = app.ClientAs("town");
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: "限流测试"));
        await town.DoAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await town.DoAsync(id, "resolve", new { outcome = "Solved", result = "已处理" });
        using var published = await town.PostAsJsonAsync($"/api/v1/cases/{id}/disclosures", new { kind = "Result", title = "限流测试公示", body = "已处理完毕。" });
        var disclosure = (await published.ReadJsonAsync())["id"]!.GetValue<long>();

        async Task<HttpResponseMessage> ObjectAsync(string text)
        {
            var client = app.AnonymousClient();
            var challenge = (await client.GetFromJsonAsync<JsonObject>("/api/v1/public/reports/challenge"))!["challenge"]!.GetValue<string>();
            return await client.PostAsJsonAsync($"/api/v1/public/disclosures/{disclosure}/objections",
                new { text, challenge, solution = ProofOfWork.Solve(challenge) });
        }

        for (var i = 0; i < 2; i++)
        {
            using var ok = await ObjectAsync("第 " + i + " 条");
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }
        using (var refused = await ObjectAsync("第三条"))
        {
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
        }
        var anonymous = app.AnonymousClient();
        var (_, html) = await anonymous.GetHtmlAsync("/public/SCH-MJC");
        string V(string name) => WebUtility.HtmlDecode(Regex.Match(html, $"""name="{name}"[^>]*?value="([^"]*)" """.TrimEnd()).Groups[1].Value);
        using var form = await anonymous.PostFormAsync("/public/SCH-MJC?handler=Object",
            ("__RequestVerificationToken", V("__RequestVerificationToken")), ("disclosure", disclosure.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("key", V("key")), ("challenge", V("challenge")), ("solution", ProofOfWork.Solve(V("challenge"))), ("website", ""), ("text", "表单上的第四条"));
        var page = await form.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.TooManyRequests, form.StatusCode);
        Assert.Contains("每小时最多 2 次", page);
        Assert.Contains("表单上的第四条</textarea>", page);
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<DisclosureObjection>().CountAsync()));

    }
}

public sealed class DisclosureLimitSqliteApp : SqliteApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        DisclosureRateLimitTests.Configure(builder);
    }
}

public sealed class DisclosureLimitPostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        DisclosureRateLimitTests.Configure(builder);
    }
}

public sealed class DisclosureRateLimitTests_Sqlite(DisclosureLimitSqliteApp app) : DisclosureRateLimitTests(app), IClassFixture<DisclosureLimitSqliteApp>;

public sealed class DisclosureRateLimitTests_Postgres(DisclosureLimitPostgresApp app) : DisclosureRateLimitTests(app), IClassFixture<DisclosureLimitPostgresApp>;
