using System.Net;
using System.Text.RegularExpressions;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>来电登记 as a browser without JavaScript uses it: GET the form, POST it, follow the redirect by hand.</summary>
public abstract partial class HotlinePageTests(TaizhangApp app)
{
    private readonly HttpClient _operator = app.SharedClientAs("operator");

    [Fact]
    public async Task Post_ValidForm_RegistersAHotlineCaseAndShowsItsCodeOnce()
    {
        var key = await FormKeyAsync(_operator);
        var title = "来电：" + Guid.NewGuid().ToString("N")[..8] + " 村口路灯不亮";

        using var response = await _operator.PostFormAsync("/hotline", Form(key, title: title));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/hotline", response.Headers.Location?.OriginalString);
        var id = await FindByTitleAsync(title);
        var c = await _operator.GetCaseAsync(id);
        Assert.Equal("Hotline", c["channel"]!.GetValue<string>());
        Assert.Equal("SCH-MJC", c["orgUnit"]!["code"]!.GetValue<string>());
        Assert.Equal("High", c["urgency"]!.GetValue<string>());
        Assert.Equal("roads", c["category"]!["code"]!.GetValue<string>());
        Assert.Single(c["reporters"]!.AsArray());
        var reporter = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.CaseReporters.Where(r => r.CaseId == id).Select(r => new { r.Name, r.Phone })));
        Assert.Equal(("李秀英", "13912345678"), (reporter.Name, reporter.Phone));

        var (status, html) = await _operator.GetHtmlAsync("/hotline");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<strong class=\"code\">{c.TrackingCode()}</strong>", html);
        Assert.Contains($"href=\"/cases/{id}\"", html);
        Assert.Contains("登记成功", Text(html));
        // An empty form again, with a fresh key.
        Assert.DoesNotContain(title, Text(html));
        Assert.NotEqual(key, KeyOf(html));

        var (_, again) = await _operator.GetHtmlAsync("/hotline");
        Assert.DoesNotContain(c.TrackingCode(), again);
    }

    [Fact]
    public async Task Post_SameFormTwice_MakesOneCase()
    {
        var key = await FormKeyAsync(_operator);
        var title = "重复提交 " + Guid.NewGuid().ToString("N")[..8];
        var before = (await _operator.ListAsync("channel=Hotline")).Total();

        using (var first = await _operator.PostFormAsync("/hotline", Form(key, title: title)))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }
        using (var second = await _operator.PostFormAsync("/hotline", Form(key, title: title)))
        {
            Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        }

        Assert.Equal(before + 1, (await _operator.ListAsync("channel=Hotline")).Total());
        var (_, html) = await _operator.GetHtmlAsync("/hotline");
        var id = await FindByTitleAsync(title);
        Assert.Contains($"<strong class=\"code\">{(await _operator.GetCaseAsync(id)).TrackingCode()}</strong>", html);
    }

    [Fact]
    public async Task Post_SameKeyWithOtherContent_IsRefusedWithAFreshKey_ThenRegistersOnConfirmation()
    {
        var key = await FormKeyAsync(_operator);
        var first = "第一通电话 " + Guid.NewGuid().ToString("N")[..8];
        var second = "第二通电话 " + Guid.NewGuid().ToString("N")[..8];
        using (var ok = await _operator.PostFormAsync("/hotline", Form(key, title: first)))
        {
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        }

        using var refused = await _operator.PostFormAsync("/hotline", Form(key, title: second));

        Assert.True((int)refused.StatusCode >= 400, refused.StatusCode.ToString());
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("这张表单刚才已登记过另一件事项", Text(html));
        Assert.Contains(second, Text(html));
        var fresh = KeyOf(html);
        Assert.NotEqual(key, fresh);

        using var confirmed = await _operator.PostFormAsync("/hotline", Form(fresh, title: second));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        await FindByTitleAsync(first);
        await FindByTitleAsync(second);
    }

    [Fact]
    public async Task Post_MissingTitleAndBadPhone_Is400WithMessagesNextToTheFieldsAndKeepsWhatWasTyped()
    {
        var key = await FormKeyAsync(_operator);
        var before = (await _operator.ListAsync()).Total();

        using var response = await _operator.PostFormAsync("/hotline",
            ("key", key), ("phone", "12345"), ("name", "王大爷"), ("orgUnit", "SCH-WJC"), ("category", "water"),
            ("urgency", "Urgent"), ("title", ""), ("description", "自来水管破裂，水漫进院子"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var text = Text(html);
        Assert.Matches("id=\"phone-error\">[^<]+<", html);
        Assert.Matches("id=\"title-error\">[^<]+<", html);
        Assert.Contains("手机号或固定电话格式不正确", text);
        Assert.Contains("必填", text);
        Assert.Contains("value=\"12345\"", html);
        Assert.Contains("王大爷", text);
        Assert.Contains("自来水管破裂，水漫进院子", text);
        Assert.Matches("<option value=\"SCH-WJC\" selected=\"selected\">", html);
        Assert.Matches("<option value=\"water\" selected=\"selected\">", html);
        Assert.Matches("<option value=\"Urgent\" selected=\"selected\">", html);
        Assert.Equal(key, KeyOf(html));
        Assert.Equal(before, (await _operator.ListAsync()).Total());
    }

    [Fact]
    public async Task Post_UnitOutsideTheCadresVillage_Is400OnTheUnit()
    {
        var cadre = app.SharedClientAs("cadre");
        var key = await FormKeyAsync(cadre);

        using var response = await cadre.PostFormAsync("/hotline", Form(key, orgUnit: "SCH-WJC"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches("id=\"orgUnit-error\">[^<]+<", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Form_OffersOnlyTheUnitsWhereTheUserMayRegister()
    {
        var (status, html) = await app.SharedClientAs("cadre").GetHtmlAsync("/hotline");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("value=\"SCH-MJC\"", html);
        Assert.Contains("value=\"SCH-MJC-1\"", html);
        Assert.DoesNotContain("value=\"SCH-WJC\"", html);
        Assert.DoesNotContain("value=\"SCH\"", html);
        foreach (var id in new[] { "phone", "name", "orgUnit", "category", "urgency", "title", "description" })
        {
            Assert.Contains($"<label for=\"{id}\">", html);
            Assert.Contains($"id=\"{id}\"", html);
        }
        // A cadre registers calls but does not take them: no look-up of callers' numbers.
        Assert.DoesNotContain("data-caller-lookup", html);
        Assert.DoesNotContain("id=\"caller-history\"", html);
        Assert.DoesNotContain("id=\"lookup\"", html);

        var (_, operatorHtml) = await _operator.GetHtmlAsync("/hotline");
        Assert.Contains("data-caller-lookup=\"/hotline/callers\"", operatorHtml);
        Assert.Contains("id=\"caller-history\"", operatorHtml);
        Assert.Contains("formaction=\"/hotline/lookup\"", operatorHtml);
    }

    [Fact]
    public async Task Callers_ListsThatPhonesCasesTheUserMaySee_NewestFirst()
    {
        var town = app.SharedClientAs("town");
        var phone = "1370000" + Random.Shared.Next(1000, 9999);
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-3));
        var older = await town.RegisterAsync(CaseApi.NewCase(title: "马家村旧事", orgUnit: "SCH-MJC", phone: phone));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-1));
        var newer = await town.RegisterAsync(CaseApi.NewCase(title: "马家村新事", orgUnit: "SCH-MJC-1", phone: "+86 " + phone));
        var elsewhere = await town.RegisterAsync(CaseApi.NewCase(title: "王家村的事", orgUnit: "SCH-WJC", phone: phone));
        var otherPhone = await town.RegisterAsync(CaseApi.NewCase(title: "别的号码", orgUnit: "SCH-MJC", phone: "13600000000"));
        app.Clock.SetUtcNow(TaizhangApp.Start);

        var (status, fragment) = await CallersAsync(app.SharedClientAs("operator-mjc"), phone);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("<html", fragment);
        Assert.Contains(older.TrackingCode(), fragment);
        Assert.Contains(newer.TrackingCode(), fragment);
        Assert.DoesNotContain(elsewhere.TrackingCode(), fragment);
        Assert.DoesNotContain(otherPhone.TrackingCode(), fragment);
        Assert.True(fragment.IndexOf(newer.TrackingCode(), StringComparison.Ordinal) < fragment.IndexOf(older.TrackingCode(), StringComparison.Ordinal));
        Assert.Contains("data-total=\"2\"", fragment);
        Assert.Contains($"href=\"/cases/{older.Id()}\"", fragment);

        var (_, all) = await CallersAsync(_operator, phone);
        Assert.Contains(elsewhere.TrackingCode(), all);
        Assert.Contains("data-total=\"3\"", all);
    }

    [Fact]
    public async Task Callers_UnknownPhone_SaysNoEarlierCalls()
    {
        var (status, fragment) = await CallersAsync(_operator, "13511112222");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("无来电记录", Text(fragment));
    }

    [Fact]
    public async Task Lookup_WithoutJavaScript_ShowsTheHistoryInThePageAndKeepsTheForm()
    {
        var phone = "1380000" + Random.Shared.Next(1000, 9999);
        var earlier = await app.SharedClientAs("town").RegisterAsync(CaseApi.NewCase(title: "以前的来电", orgUnit: "SCH-MJC", phone: phone));

        // The look-up button posts the whole form: the number is in no URL.
        using var response = await _operator.PostFormAsync("/hotline/lookup", ("phone", phone), ("name", "张三"), ("title", "abc"), ("key", "k1"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var history = html[html.IndexOf("id=\"caller-history\"", StringComparison.Ordinal)..];
        Assert.Contains(earlier.TrackingCode(), history);
        Assert.Contains($"value=\"{phone}\"", html);
        Assert.Contains("张三", Text(html));
        Assert.Contains("value=\"abc\"", html);
        Assert.Equal("k1", KeyOf(html));
        Assert.DoesNotContain("formmethod=\"get\"", html);
    }

    [Fact]
    public async Task Lookup_OfAKnownCaller_FillsAnEmptyNameFromTheirLastCase_AndKeepsATypedOne()
    {
        var phone = "1380004" + Random.Shared.Next(1000, 9999);
        var town = app.SharedClientAs("town");
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-2));
        await town.RegisterAsync(CaseApi.NewCase(title: "早先的来电", orgUnit: "SCH-MJC", phone: phone, reporterName: "王秀兰"));
        app.Clock.SetUtcNow(TaizhangApp.Start.AddDays(-1));
        await town.RegisterAsync(CaseApi.NewCase(title: "上次的来电", orgUnit: "SCH-MJC", phone: phone, reporterName: "王秀英"));
        app.Clock.SetUtcNow(TaizhangApp.Start);

        using var empty = await _operator.PostFormAsync("/hotline/lookup", ("phone", phone), ("name", ""), ("key", "k2"));
        using var typed = await _operator.PostFormAsync("/hotline/lookup", ("phone", phone), ("name", "李四"), ("key", "k3"));
        var (_, fragment) = await CallersAsync(_operator, phone);
        var (_, unknown) = await CallersAsync(_operator, "13599990000");

        var filled = Text(await empty.Content.ReadAsStringAsync());
        Assert.Matches("id=\"name\" name=\"name\"[^>]*value=\"王秀英\"", filled);
        Assert.Contains("data-caller-name=\"王秀英\"", filled);
        var kept = Text(await typed.Content.ReadAsStringAsync());
        Assert.Matches("id=\"name\" name=\"name\"[^>]*value=\"李四\"", kept);
        Assert.DoesNotMatch("id=\"name\" name=\"name\"[^>]*value=\"王秀英\"", kept);
        // The live look-up's fragment carries it for the script to fill in.
        Assert.Contains("data-caller-name=\"王秀英\"", fragment);
        Assert.DoesNotContain("王秀兰", fragment);
        Assert.DoesNotContain("data-caller-name", unknown);
    }

    [Fact]
    public async Task APhoneInTheUrl_IsNeitherLookedUpNorEchoed()
    {
        var phone = "1380001" + Random.Shared.Next(1000, 9999);
        var earlier = await app.SharedClientAs("town").RegisterAsync(CaseApi.NewCase(title: "网址里的号码", orgUnit: "SCH-MJC", phone: phone));

        var (status, html) = await _operator.GetHtmlAsync($"/hotline?phone={phone}&name=%E5%BC%A0%E4%B8%89");
        var (_, callers) = await _operator.GetHtmlAsync($"/hotline/callers?phone={phone}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(phone, html);
        Assert.DoesNotContain(earlier.TrackingCode(), html);
        Assert.DoesNotContain("张三", Text(html));
        // The old GET of the live look-up is gone: at most the empty form, never the history.
        Assert.DoesNotContain(phone, callers);
        Assert.DoesNotContain(earlier.TrackingCode(), callers);
    }

    [Theory]
    [InlineData("member")]
    [InlineData("cadre")]
    public async Task ThoseWhoDoNotTakeCalls_CannotLookUpANumber(string who)
    {
        var phone = "1380002" + Random.Shared.Next(1000, 9999);
        await app.SharedClientAs("town").RegisterAsync(CaseApi.NewCase(title: "有人想查的号码", orgUnit: "SCH-MJC", phone: phone));
        var client = app.SharedClientAs(who);
        var before = await LookupCountAsync();

        var (fragment, _) = await CallersAsync(client, phone);
        using var page = await client.PostFormAsync("/hotline/lookup", ("phone", phone));

        Assert.Equal(HttpStatusCode.Forbidden, fragment);
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(before, await LookupCountAsync());
    }

    [Fact]
    public async Task EveryLookUp_IsInTheAuditTrail_WithTheNumbersHashNotTheNumber()
    {
        var phone = "1380003" + Random.Shared.Next(1000, 9999);
        var client = app.ClientAs("audited-" + Guid.NewGuid().ToString("N")[..8]);

        await CallersAsync(client, phone);
        await CallersAsync(client, "+86 " + phone);
        await CallersAsync(client, "1380003"); // not a number yet: not looked up, not recorded

        var rows = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.AdminEvents.Where(e => e.Action == "caller.lookup").Select(e => new { e.ActorName, e.Target, e.Details })));
        var mine = rows.Where(r => r.ActorName.StartsWith("audited-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, mine.Count);
        Assert.Single(mine.Select(r => r.Target).Distinct()); // the same number, written two ways
        Assert.StartsWith("phone:", mine[0].Target);
        Assert.All(rows, r => Assert.DoesNotContain(phone[3..], r.Target + r.Details));
        // An administrator reads the trail.
        using var audit = await app.SharedClientAs("admin-county").GetAsync("/api/v1/admin/audit?take=1000");
        Assert.Contains(mine[0].Target, await audit.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LookUps_AreLimitedPerPerson_AndRegisteringIsNot()
    {
        var busy = app.ClientAs("busy-" + Guid.NewGuid().ToString("N")[..8]);
        var other = app.ClientAs("other-" + Guid.NewGuid().ToString("N")[..8]);
        for (var i = 0; i < 12; i++)
        {
            var (ok, _) = await CallersAsync(busy, "1390000" + (1000 + i));
            Assert.Equal(HttpStatusCode.OK, ok);
        }

        var (refused, message) = await CallersAsync(busy, "13900002000");
        using var page = await busy.PostFormAsync("/hotline/lookup", ("phone", "13900002001"));
        var (otherStatus, _) = await CallersAsync(other, "13900002002");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused);
        Assert.Contains("查询过于频繁", message);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("查询过于频繁", Text(await page.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.OK, otherStatus);
        using var registered = await busy.PostFormAsync("/hotline", Form(await FormKeyAsync(busy), title: "限流之后仍可登记"));
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
    }

    [Theory]
    [InlineData("leader")]
    [InlineData("agency")]
    public async Task UsersWithoutRegister_Get403(string who)
    {
        var client = app.SharedClientAs(who);
        var (page, _) = await client.GetHtmlAsync("/hotline");
        var (callers, _) = await CallersAsync(client, "13912345678");
        using var post = await client.PostFormAsync("/hotline", Form("x"));

        Assert.Equal(HttpStatusCode.Forbidden, page);
        Assert.Equal(HttpStatusCode.Forbidden, callers);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
    }

    /// <summary>The live look-up, as the page's script sends it: a POST of the number alone.</summary>
    private static async Task<(HttpStatusCode Status, string Html)> CallersAsync(HttpClient client, string phone)
    {
        using var response = await client.PostFormAsync("/hotline/callers", ("phone", phone));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private Task<int> LookupCountAsync() =>
        app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.AdminEvents.Where(e => e.Action == "caller.lookup")));

    private static (string, string)[] Form(string key, string title = "村口路灯不亮", string orgUnit = "SCH-MJC") =>
    [
        ("key", key), ("phone", "139 1234 5678"), ("name", "李秀英"), ("orgUnit", orgUnit), ("category", "roads"),
        ("urgency", "High"), ("title", title), ("description", "路灯坏了一个星期，晚上出行不便。"),
        // These tests register the same matter again and again: past the likely-duplicates step (IntakeDuplicatesPageTests).
        ("confirmNew", "true"),
    ];

    private static async Task<string> FormKeyAsync(HttpClient client)
    {
        var (status, html) = await client.GetHtmlAsync("/hotline");
        Assert.Equal(HttpStatusCode.OK, status);
        return KeyOf(html);
    }

    private static string KeyOf(string html) => KeyPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException("no key field");

    private async Task<long> FindByTitleAsync(string title)
    {
        var page = await _operator.ListAsync("q=" + Uri.EscapeDataString(title));
        return Assert.Single(page.ItemIds());
    }

    /// <summary>The page's text as a reader sees it (Razor encodes non-ASCII characters).</summary>
    private static string Text(string html) => WebUtility.HtmlDecode(html);

    [GeneratedRegex("name=\"key\" value=\"([^\"]*)\"")]
    private static partial Regex KeyPattern();
}

public sealed class HotlinePageTests_Sqlite(SqliteApp app) : HotlinePageTests(app), IClassFixture<SqliteApp>;

public sealed class HotlinePageTests_Postgres(PostgresApp app) : HotlinePageTests(app), IClassFixture<PostgresApp>;
