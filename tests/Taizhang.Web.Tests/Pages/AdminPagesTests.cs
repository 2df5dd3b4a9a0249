using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// The administration pages (/admin/…) as a browser without JavaScript uses them, over the same
/// handlers as the admin API. The tests of a class share one database: each makes its own units,
/// clients and entries with distinct names and checks those.
/// </summary>
public abstract partial class AdminPagesTests(TaizhangApp app)
{
    private HttpClient Town => app.SharedClientAs("admin-sch");
    private HttpClient County => app.SharedClientAs("admin-county");

    private static string Suffix() => Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();

    private static readonly string[] Pages = ["/admin", "/admin/units", "/admin/categories", "/admin/api-clients", "/admin/calendar", "/admin/audit", "/admin/verify",
        "/admin/notifications", "/admin/notifications/templates", "/admin/measures"];

    [Fact]
    public async Task EveryPage_RendersForTheTownAdministrator_WithTheAdminMenu()
    {
        foreach (var page in Pages)
        {
            var (status, html) = await Town.GetHtmlAsync(page);
            Assert.True(status == HttpStatusCode.OK, $"{page}: {status}");
            Assert.Contains("<a href=\"/admin\" aria-current=\"page\">管理</a>", html);
        }
        var (_, index) = await Town.GetHtmlAsync("/admin");
        foreach (var link in new[] { "/admin/users", "/account", "/admin/units", "/admin/categories", "/admin/api-clients", "/admin/calendar", "/admin/audit", "/admin/verify" })
        {
            Assert.Contains($"<a href=\"{link}\">", index);
        }
        // The summary counts what the posts reach: the demo town's units, not the county's.
        var units = (await Town.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/admin/summary"))!["units"]!.GetValue<int>();
        Assert.Contains($"管辖范围内 {units} 个单位", index);
        Assert.True(units < (await Town.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/v1/org-units"))!.Count);

        var (_, board) = await app.SharedClientAs("town").GetHtmlAsync("/board");
        Assert.DoesNotContain("href=\"/admin\"", board);
    }

    /// <summary>
    /// A browser sends only what the form holds (this test client adds the token as a header, so
    /// a form without its hidden token would pass here and fail for every real administrator).
    /// </summary>
    [Fact]
    public async Task EveryPostFormOnEveryPage_CarriesItsAntiforgeryToken()
    {
        var clerk = app.SharedClientAs("town");
        foreach (var (client, page) in Pages.Concat(["/admin/users", "/admin/users/new", "/account"]).Select(p => (County, p))
            .Concat(new[] { "/cases/new", "/hotline", "/cases", "/triage", "/tasks", "/report", "/imports", "/meetings", "/meetings/new", "/meetings/bodies", "/disclosures", "/public/SCH-MJC", "/topics", "/topics/concentrated" }.Select(p => (clerk, p)))
            .Concat((await MediationPageTests.PagesWithEveryFormAsync(app)).Select(p => (app.SharedClientAs("agency"), p))))
        {
            var (status, html) = await client.GetHtmlAsync(page);
            Assert.True(status == HttpStatusCode.OK, $"{page}: {status}");
            var forms = System.Text.RegularExpressions.Regex.Matches(html, "<form[^>]*method=\"post\"[^>]*>(.*?)</form>",
                System.Text.RegularExpressions.RegexOptions.Singleline | System.Text.RegularExpressions.RegexOptions.IgnoreCase);
            foreach (System.Text.RegularExpressions.Match form in forms)
            {
                Assert.True(form.Value.Contains("name=\"__RequestVerificationToken\"", StringComparison.Ordinal),
                    $"{page}: a form without its token: {form.Value[..Math.Min(160, form.Value.Length)]}");
            }
        }
    }

    [Theory]
    [InlineData("town")]
    [InlineData("leader")]
    [InlineData("operator")]
    public async Task NonAdministrators_Get403_OnEveryPage_AndTheirPostsChangeNothing(string who)
    {
        var client = app.SharedClientAs(who);
        foreach (var page in Pages)
        {
            var (status, _) = await client.GetHtmlAsync(page);
            Assert.True(status == HttpStatusCode.Forbidden, $"{who} {page}: {status}");
        }
        var code = "SCH-X" + Suffix();
        using var post = await client.PostFormAsync("/admin/units?handler=Create",
            ("Create.Parent", "SCH"), ("Create.Kind", "Village"), ("Create.Name", "不该有的村"), ("Create.Code", code));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.OrgUnits.AnyAsync(u => u.Code == code)));

        using var anonymous = await app.AnonymousClient().GetAsync("/admin/units");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/signin", anonymous.Headers.Location!.OriginalString.Replace("http://localhost", ""));
    }

    [Fact]
    public async Task Units_AddUnderAParent_Rename_AndEachRefusalIsNextToItsField()
    {
        var code = "SCH-N" + Suffix();
        using var created = await Town.PostFormAsync("/admin/units?handler=Create",
            ("Create.Parent", "SCH"), ("Create.Kind", "Village"), ("Create.Name", "新建村"), ("Create.Code", code));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/admin/units#unit-" + code, created.Headers.Location!.OriginalString);
        var (_, html) = await Town.GetHtmlAsync("/admin/units");
        Assert.Contains("已新增「新建村」", html);
        // In the tree, under the town: the town's item holds the new village's item.
        var town = Item(html, "SCH");
        Assert.Contains($"id=\"unit-{code}\" data-code=\"{code}\" data-kind=\"Village\"", town);
        Assert.Contains("新建村", Item(html, code));

        // A group under it, chosen by the link "在其下新增".
        var (_, withParent) = await Town.GetHtmlAsync("/admin/units?parent=" + code);
        Assert.Contains($"<option value=\"{code}\" selected=\"selected\">", withParent);
        using var group = await Town.PostFormAsync("/admin/units?handler=Create",
            ("Create.Parent", code), ("Create.Kind", "Group"), ("Create.Name", "一组"), ("Create.Code", code + "-1"));
        Assert.Equal(HttpStatusCode.Redirect, group.StatusCode);
        Assert.Contains($"id=\"unit-{code}-1\"", Item((await Town.GetHtmlAsync("/admin/units")).Html, code));

        // Refusals: each message by its field, what was typed kept, nothing created.
        async Task<string> RefusedAsync(params (string, string)[] fields)
        {
            using var response = await Town.PostFormAsync("/admin/units?handler=Create", fields);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        var duplicate = await RefusedAsync(("Create.Parent", "SCH"), ("Create.Kind", "Village"), ("Create.Name", "重名村"), ("Create.Code", code));
        Assert.Matches("id=\"create-code-error\">已被使用", duplicate);
        Assert.Contains("value=\"重名村\"", duplicate);
        var badParent = await RefusedAsync(("Create.Parent", "SCH-MJC"), ("Create.Kind", "Village"), ("Create.Name", "错层村"), ("Create.Code", code + "X"));
        Assert.Matches("id=\"create-parent-error\">「马家村」下不能设村", badParent);
        var tooLong = await RefusedAsync(("Create.Parent", "SCH"), ("Create.Kind", "Village"), ("Create.Name", new string('村', 101)), ("Create.Code", code + "Y"));
        Assert.Contains("id=\"create-name-error\">不能超过 100 个字符", tooLong);
        var badCode = await RefusedAsync(("Create.Parent", "SCH"), ("Create.Kind", "Village"), ("Create.Name", "斜杠村"), ("Create.Code", "a/b"));
        Assert.Contains("id=\"create-code-error\">编码只能由字母", badCode);
        var outside = await RefusedAsync(("Create.Parent", "ZX"), ("Create.Kind", "Town"), ("Create.Name", "越权镇"), ("Create.Code", code + "Z"));
        Assert.Contains("id=\"create-parent-error\">没有编码为「ZX」的组织单位", outside);
        Assert.False(await app.WithDbAsync(db => db.OrgUnits.AnyAsync(u => u.Code == code + "X" || u.Code == code + "Y" || u.Code == code + "Z")));

        // Rename; an empty name is refused at that unit's form.
        using var renamed = await Town.PostFormAsync("/admin/units?handler=Rename", ("Rename.Code", code), ("Rename.Name", "新兴村"));
        Assert.Equal(HttpStatusCode.Redirect, renamed.StatusCode);
        Assert.Contains("新兴村", Item((await Town.GetHtmlAsync("/admin/units")).Html, code));
        using var empty = await Town.PostFormAsync("/admin/units?handler=Rename", ("Rename.Code", code), ("Rename.Name", " "));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains($"id=\"rename-{code}-error\">必填", await empty.Content.ReadAsStringAsync());
        // Everyone reads the new name (intake uses it).
        var units = await app.SharedClientAs("town").GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("/api/v1/org-units");
        Assert.Contains(units!, u => u!["code"]!.GetValue<string>() == code && u["name"]!.GetValue<string>() == "新兴村");
    }

    [Fact]
    public async Task Categories_TheCountyAddsAndChangesThem_ATownAdministratorReadsThem()
    {
        var code = "cat-" + Suffix().ToLowerInvariant();
        using var created = await County.PostFormAsync("/admin/categories?handler=Create",
            ("Create.Code", code), ("Create.Name", "养老服务"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var (_, html) = await County.GetHtmlAsync("/admin/categories");
        Assert.Contains($"<tr id=\"category-{code}\"", html);
        Assert.Contains("养老服务", Row(html, "category-" + code));

        using var updated = await County.PostFormAsync("/admin/categories?handler=Update",
            ("Update.Code", code), ("Update.Name", "养老与助残"), ("Update.IsDispute", "true"));
        Assert.Equal(HttpStatusCode.Redirect, updated.StatusCode);
        var row = Row((await County.GetHtmlAsync("/admin/categories")).Html, "category-" + code);
        Assert.Contains("养老与助残", row);
        Assert.Contains("<td>是</td>", row);

        using var duplicate = await County.PostFormAsync("/admin/categories?handler=Create", ("Create.Code", code), ("Create.Name", "又一个"));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("id=\"create-code-error\">已被使用", await duplicate.Content.ReadAsStringAsync());

        // A town administrator: the list, no forms; a forged post is refused.
        var (_, town) = await Town.GetHtmlAsync("/admin/categories");
        Assert.Contains("养老与助残", town);
        Assert.DoesNotContain("Create.Code", town);
        Assert.DoesNotContain("Update.Name", town);
        using var forged = await Town.PostFormAsync("/admin/categories?handler=Create", ("Create.Code", code + "x"), ("Create.Name", "越权"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task ApiClient_TheTokenIsShownOnce_WorksAsABearerToken_IsNotInTheList_AndRevokingEndsIt()
    {
        var name = "热线系统-" + Suffix();
        using var created = await Town.PostFormAsync("/admin/api-clients?handler=Create",
            ("Create.Name", name), ("Create.OrgUnit", "SCH"), ("Create.Channels", "Hotline"), ("Create.Channels", "WeChat"), ("Create.ExpiresAt", ""));
        var html = await created.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Null(created.Headers.Location);
        Assert.True(created.Headers.CacheControl?.NoStore, "the page with the token must not be stored");
        var token = WebUtility.HtmlDecode(Token().Match(html).Groups["t"].Value);
        Assert.False(string.IsNullOrEmpty(token), html);
        Assert.Contains("只显示这一次", html);

        // The token is a working Bearer token for the API, at its unit and channels.
        var integration = app.CreateDefaultClient();
        integration.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var registered = await integration.RegisterAsync(CaseApi.NewCase(title: "接口登记的事项", orgUnit: "SCH-MJC", channel: "WeChat"));
        Assert.True(registered["id"]!.GetValue<long>() > 0);

        // The next GET lists the client, with its last use, and never the token.
        var (status, list) = await Town.GetHtmlAsync("/admin/api-clients");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(token, list);
        var id = long.Parse(ClientRow().Match(list[..list.IndexOf(name, StringComparison.Ordinal)]).Groups["id"].Value);
        var row = Row(list, "client-" + id);
        Assert.Contains("data-state=\"active\"", row);
        Assert.Contains("投诉电话、微信公众号", row);
        Assert.DoesNotContain("从未使用", row);

        // Revoke (the confirmation is part of the form); the token stops at once.
        using var revoked = await Town.PostFormAsync("/admin/api-clients?handler=Revoke", ("Revoke.Id", id.ToString()));
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        using var refused = await integration.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(orgUnit: "SCH-MJC", channel: "WeChat"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var after = Row((await Town.GetHtmlAsync("/admin/api-clients")).Html, "client-" + id);
        Assert.Contains("data-state=\"revoked\"", after);
        Assert.DoesNotContain("Revoke.Id", after);
    }

    [Fact]
    public async Task ApiClient_Refusals_AreNextToTheirFields_AndCreateNothing()
    {
        var name = "坏凭据-" + Suffix();
        using var response = await Town.PostFormAsync("/admin/api-clients?handler=Create",
            ("Create.Name", name), ("Create.OrgUnit", "ZX"), ("Create.ExpiresAt", "2020-01-01"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("id=\"create-unit-error\">没有编码为「ZX」的组织单位", html);
        Assert.Contains("id=\"create-channels-error\">必填", html);
        Assert.DoesNotContain("id=\"token\"", html);
        Assert.Contains($"value=\"{name}\"", html);
        Assert.False(await app.WithDbAsync(db => db.ApiClients.AnyAsync(c => c.Name == name)));
    }

    [Fact]
    public async Task Calendar_MissingNextYearIsWarned_BadLinesAreNamedByTheField_ThenTheYearIsSaved()
    {
        app.Clock.SetUtcNow(TaizhangApp.Start);
        var (_, before) = await County.GetHtmlAsync("/admin/calendar");
        // 26 Nov 2026: the low level (15 working days) reaches into 2027 from early December.
        var warning = Regex.Match(before, "id=\"calendar-missing\">\\s*2027 年的节假日安排尚未录入：自 (?<d>2026-1[12]-\\d\\d) 起登记");
        Assert.True(warning.Success, before);
        Assert.Contains("id=\"calendar-missing\"", (await County.GetHtmlAsync("/admin")).Html);

        // Refused: a date of another year, a working day inside a holiday, a date given twice, a bad date.
        using var refused = await County.PostFormAsync("/admin/calendar?year=2027&handler=Year",
            ("Year.Source", "测试通知"),
            ("Year.Holidays", "元旦 2027-01-01 2027-01-03\n\n春节 2028-02-06 2028-02-13\n清明节 2027/4/5"),
            ("Year.Workdays", "2027-01-02\n2027-02-14（春节调休）\n2027-02-14"));
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var holidays = Between(html, "id=\"year-holidays-error\"", "</p>");
        Assert.Contains("第 3 行：日期须在 2027 年内", holidays);
        Assert.Contains("第 4 行：日期格式应为 yyyy-MM-dd", holidays);
        var workdays = Between(html, "id=\"year-workdays-error\"", "</p>");
        Assert.Contains("第 1 行：这一天在「元旦」假期内", workdays);
        Assert.Contains("第 3 行：这个日期重复了", workdays);
        Assert.Contains("清明节 2027/4/5", html);
        var calendar = await County.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/calendar");
        Assert.DoesNotContain(2027, calendar!["coveredYears"]!.AsArray().Select(y => y!.GetValue<int>()));

        using var saved = await County.PostFormAsync("/admin/calendar?year=2027&handler=Year",
            ("Year.Source", "测试通知"),
            ("Year.Holidays", "元旦 2027-01-01 2027-01-03\n春节 2027-02-06 2027-02-13"),
            ("Year.Workdays", "2027-02-14 春节调休"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var after = WebUtility.HtmlDecode((await County.GetHtmlAsync("/admin/calendar?year=2027")).Html);
        Assert.DoesNotContain("id=\"calendar-missing\"", after);
        Assert.Contains("元旦 2027-01-01 2027-01-03\n春节 2027-02-06 2027-02-13</textarea>", after);
        Assert.Contains("2027-02-14</textarea>", after);
        Assert.Contains("测试通知", after);
        calendar = await County.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/calendar");
        Assert.Contains(2027, calendar!["coveredYears"]!.AsArray().Select(y => y!.GetValue<int>()));
        Assert.True(calendar["nextYear"]!["covered"]!.GetValue<bool>());

        // The town's administrator reads the year; the forms are not theirs.
        var (_, town) = await Town.GetHtmlAsync("/admin/calendar?year=2027");
        Assert.Contains("<li>春节 2027-02-06 – 2027-02-13</li>", town);
        Assert.DoesNotContain("Year.Holidays", town);
        using var forged = await Town.PostFormAsync("/admin/calendar?year=2027&handler=Year", ("Year.Holidays", ""), ("Year.Workdays", ""));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task ServiceLevels_AreEditedByTheCounty_WithMessagesByTheField()
    {
        using var refused = await County.PostFormAsync("/admin/calendar?handler=Levels",
            ("Levels.Urgent.Count", "abc"), ("Levels.Urgent.Unit", "CalendarDays"),
            ("Levels.High.Count", "3"), ("Levels.High.Unit", "Fortnights"),
            ("Levels.Normal.Count", "7"), ("Levels.Normal.Unit", "WorkingDays"),
            ("Levels.Low.Count", "15"), ("Levels.Low.Unit", "WorkingDays"));
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"level-urgent-count-error\">须在 0 到 365 之间", html);
        Assert.Contains("id=\"level-high-unit-error\">", html);
        Assert.Contains("value=\"abc\"", html);

        using var saved = await County.PostFormAsync("/admin/calendar?handler=Levels",
            ("Levels.Urgent.Count", "2"), ("Levels.Urgent.Unit", "CalendarDays"),
            ("Levels.High.Count", "3"), ("Levels.High.Unit", "WorkingDays"),
            ("Levels.Normal.Count", "7"), ("Levels.Normal.Unit", "WorkingDays"),
            ("Levels.Low.Count", "15"), ("Levels.Low.Unit", "WorkingDays"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var calendar = await County.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/calendar");
        Assert.Equal(2, calendar!["serviceLevels"]!["urgent"]!["count"]!.GetValue<int>());
        using var forged = await Town.PostFormAsync("/admin/calendar?handler=Levels", ("Levels.Urgent.Count", "1"), ("Levels.Urgent.Unit", "CalendarDays"));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
    }

    [Fact]
    public async Task Audit_FiltersByActorActionAndShanghaiDays_NewestFirst_PagesOn_AndShowsNoPhoneNumber()
    {
        var code = "SCH-A" + Suffix();
        // 01:30 on 21 November in Shanghai is still 20 November in UTC.
        app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 20, 17, 30, 0, TimeSpan.Zero));
        try
        {
            using var unit = await Town.PostAsJsonAsync("/api/v1/admin/org-units", new { code, name = "审计村", kind = "Village", parent = "SCH" });
            Assert.Equal(HttpStatusCode.Created, unit.StatusCode);
        }
        finally
        {
            app.Clock.SetUtcNow(TaizhangApp.Start);
        }
        for (var i = 1; i <= 51; i++)
        {
            using var rename = await Town.PutAsJsonAsync($"/api/v1/admin/org-units/{code}", new { name = "审计村" + i });
            Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
        }
        var phone = "13700" + Random.Shared.Next(100000, 999999);
        using (var lookup = await app.SharedClientAs("operator").PostFormAsync("/hotline/lookup", ("phone", phone)))
        {
            Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        }

        // By action: the renames only, newest first, 50 to a page, then the rest.
        var (_, renames) = await Town.GetHtmlAsync("/admin/audit?action=org-unit.rename");
        var ids = EntryIds(renames);
        Assert.Equal(50, ids.Count);
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.All(Actions(renames), a => Assert.Equal("org-unit.rename", a));
        var older = WebUtility.HtmlDecode(Regex.Match(renames, "<a href=\"(?<u>[^\"]+)\" id=\"audit-older\"").Groups["u"].Value);
        Assert.StartsWith("/admin/audit?action=org-unit.rename&before=", older);
        var (_, rest) = await Town.GetHtmlAsync(older);
        Assert.True(EntryIds(rest).Count >= 1 && EntryIds(rest).Max() < ids.Min());
        Assert.Contains("id=\"audit-newest\"", rest);

        // By day, in Shanghai: the unit was created on 21 November there.
        var (_, onThe21st) = await Town.GetHtmlAsync("/admin/audit?action=org-unit.create&from=2026-11-21&to=2026-11-21");
        Assert.Contains($"org-unit:{code}", onThe21st);
        Assert.Contains("2026-11-21 01:30", onThe21st);
        var (_, onThe20th) = await Town.GetHtmlAsync("/admin/audit?action=org-unit.create&from=2026-11-20&to=2026-11-20");
        Assert.DoesNotContain($"org-unit:{code}", onThe20th);

        // By actor: the operator's look-up, by name; the stored hash shortened, the number nowhere.
        var (_, byOperator) = await Town.GetHtmlAsync("/admin/audit?actor=" + Uri.EscapeDataString("接线员"));
        Assert.Contains("caller.lookup", Actions(byOperator));
        Assert.DoesNotContain("org-unit.rename", Actions(byOperator));
        Assert.Contains("phone:", byOperator);
        var (_, all) = await Town.GetHtmlAsync("/admin/audit");
        Assert.DoesNotContain(phone, all);
        Assert.DoesNotContain(phone, byOperator);

        // A day that is no date is said by its field.
        var (status, bad) = await Town.GetHtmlAsync("/admin/audit?from=2026-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("id=\"from-error\">日期格式应为 yyyy-MM-dd", bad);
    }

    [Fact]
    public async Task Verify_SaysIntactOnACleanLedger_AndFindsATamperedEvent_WithALinkToItsCase()
    {
        using var clean = await County.PostFormAsync("/admin/verify");
        var html = await clean.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        Assert.Contains("data-intact=\"true\"", html);
        Assert.Contains("全部完好", html);
        Assert.Matches("id=\"elapsed\">\\d+(\\.\\d+)? 秒", html);
        Assert.Contains("上次校验", (await County.GetHtmlAsync("/admin")).Html);

        var id = await app.SharedClientAs("town").RegisterIdAsync(CaseApi.NewCase(title: "被篡改的事项"));
        await app.SharedClientAs("town").DoAsync(id, "reject", new { reason = "不属于受理范围" });
        var code = await app.WithDbAsync(db => db.Cases.Where(c => c.Id == id).Select(c => c.TrackingCode).SingleAsync());
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"""UPDATE "CaseEvents" SET "Reason" = '属于受理范围' WHERE "CaseId" = {id} AND "Sequence" = 2"""));

        using var broken = await County.PostFormAsync("/admin/verify");
        html = await broken.Content.ReadAsStringAsync();
        Assert.Contains("data-intact=\"false\"", html);
        Assert.Contains($"<a class=\"code\" href=\"/cases/{id}\">{code}</a>", html);
        Assert.Contains("第 2 条记录：记录内容与封存不符", html);
        Assert.Contains("发现被改动的记录", (await County.GetHtmlAsync("/admin")).Html);
        // The town's administrator checks the town, where the case is: found too.
        using var town = await Town.PostFormAsync("/admin/verify");
        Assert.Contains($"href=\"/cases/{id}\"", await town.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASecondTownsAdministrator_SeesNoneOfTheFirstTownsUnitsClientsOrAuditEntries_AndViceVersa()
    {
        // The first town: a unit and an API client of its own.
        var schUnit = "SCH-S" + Suffix();
        using (var unit = await Town.PostFormAsync("/admin/units?handler=Create",
            ("Create.Parent", "SCH"), ("Create.Kind", "Village"), ("Create.Name", "三岔新村"), ("Create.Code", schUnit)))
        {
            Assert.Equal(HttpStatusCode.Redirect, unit.StatusCode);
        }
        var schClient = "三岔河热线-" + Suffix();
        using (var client = await Town.PostFormAsync("/admin/api-clients?handler=Create",
            ("Create.Name", schClient), ("Create.OrgUnit", "SCH"), ("Create.Channels", "Hotline")))
        {
            Assert.Equal(HttpStatusCode.OK, client.StatusCode);
        }
        await app.SharedClientAs("town").RegisterIdAsync(CaseApi.NewCase(title: "三岔河的事项"));

        var (other, town, village) = await SecondTownAdministratorAsync();
        var otherClient = "金山热线-" + Suffix();
        using (var created = await other.PostFormAsync("/admin/api-clients?handler=Create",
            ("Create.Name", otherClient), ("Create.OrgUnit", town), ("Create.Channels", "Hotline")))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        var (_, units) = await other.GetHtmlAsync("/admin/units");
        Assert.Contains($"id=\"unit-{town}\"", units);
        Assert.Contains($"id=\"unit-{village}\"", units);
        Assert.DoesNotContain("id=\"unit-SCH", units);
        Assert.DoesNotContain("马家村", units);
        Assert.DoesNotContain("value=\"SCH", units);
        var (_, clients) = await other.GetHtmlAsync("/admin/api-clients");
        Assert.Contains(otherClient, clients);
        Assert.DoesNotContain(schClient, clients);
        Assert.DoesNotContain("value=\"SCH", clients);
        var (_, audit) = await other.GetHtmlAsync("/admin/audit");
        Assert.Contains($"org-unit:{village}", audit);
        Assert.DoesNotContain(schUnit, audit);
        Assert.DoesNotContain(schClient, audit);
        var apiAudit = await other.GetStringAsync("/api/v1/admin/audit?take=1000");
        Assert.DoesNotContain(schUnit, apiAudit);
        Assert.DoesNotContain(schClient, apiAudit);
        // The ledger check covers their town only: none of the first town's cases.
        using var verify = await other.PostFormAsync("/admin/verify");
        Assert.Contains("id=\"cases-checked\">0<", await verify.Content.ReadAsStringAsync());
        // And a unit of the first town cannot be renamed from there.
        using var rename = await other.PostFormAsync("/admin/units?handler=Rename", ("Rename.Code", "SCH-MJC"), ("Rename.Name", "改名"));
        Assert.Equal(HttpStatusCode.NotFound, rename.StatusCode);

        // The other way round.
        var (_, schUnits) = await Town.GetHtmlAsync("/admin/units");
        Assert.DoesNotContain($"id=\"unit-{town}\"", schUnits);
        Assert.DoesNotContain(otherClient, (await Town.GetHtmlAsync("/admin/api-clients")).Html);
        Assert.DoesNotContain(village, (await Town.GetHtmlAsync("/admin/audit")).Html);
    }

    /// <summary>A new town of the county with a village and an administrator, signed in.</summary>
    private async Task<(HttpClient Client, string Town, string Village)> SecondTownAdministratorAsync()
    {
        var suffix = Suffix();
        var town = "W" + suffix;
        var village = town + "-V";
        Assert.Equal(HttpStatusCode.Created, (await County.PostAsJsonAsync("/api/v1/admin/org-units", new { code = town, name = "金山镇", kind = "Town", parent = "ZX" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await County.PostAsJsonAsync("/api/v1/admin/org-units", new { code = village, name = "南村", kind = "Village", parent = town })).StatusCode);
        var userName = "admin-" + suffix.ToLowerInvariant();
        Assert.Equal(HttpStatusCode.Created, (await County.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName, displayName = "金山镇管理员", password = TaizhangApp.Password,
            posts = new[] { new { role = "Administrator", unit = town } },
        })).StatusCode);
        // An administrator-set password: the new administrator changes it on first sign-in.
        var client = await app.SignInClientAsync(userName, TaizhangApp.Password);
        return (client, town, village);
    }

    /// <summary>The list item of a unit, with the units under it.</summary>
    private static string Item(string html, string code)
    {
        var start = html.IndexOf($"<li id=\"unit-{code}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no unit " + code);
        // Items nest: find the matching </li>.
        var depth = 0;
        for (var i = start; i < html.Length; i++)
        {
            if (string.CompareOrdinal(html, i, "<li", 0, 3) == 0)
            {
                depth++;
            }
            else if (string.CompareOrdinal(html, i, "</li>", 0, 5) == 0 && --depth == 0)
            {
                return html[start..(i + 5)];
            }
        }
        return html[start..];
    }

    private static string Row(string html, string id)
    {
        var start = html.IndexOf($"<tr id=\"{id}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "no row " + id);
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    private static string Between(string html, string from, string to)
    {
        var start = html.IndexOf(from, StringComparison.Ordinal);
        Assert.True(start >= 0, "missing " + from);
        return html[start..html.IndexOf(to, start, StringComparison.Ordinal)];
    }

    private static List<long> EntryIds(string html) => EntryId().Matches(html).Select(m => long.Parse(m.Groups["id"].Value)).ToList();

    private static List<string> Actions(string html) => EntryId().Matches(html).Select(m => m.Groups["a"].Value).ToList();

    [GeneratedRegex("<tr data-id=\"(?<id>\\d+)\" data-action=\"(?<a>[^\"]+)\"")]
    private static partial Regex EntryId();

    [GeneratedRegex("id=\"token\"[^>]*? value=\"(?<t>[^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("<tr id=\"client-(?<id>\\d+)\"(?![\\s\\S]*<tr id=\"client-)")]
    private static partial Regex ClientRow();
}

public sealed class AdminPagesTests_Sqlite(SqliteApp app) : AdminPagesTests(app), IClassFixture<SqliteApp>;

public sealed class AdminPagesTests_Postgres(PostgresApp app) : AdminPagesTests(app), IClassFixture<PostgresApp>;

/// <summary>An empty installation is built from the pages: its bootstrap administrator creates the first unit.</summary>
public abstract class AdminFirstUnitPageTests(TaizhangApp app)
{
    [Fact]
    public async Task TheBootstrapAdministrator_CreatesTheFirstTown_FromThePage()
    {
        // The bootstrap password was printed at the first start: it is changed before anything else.
        var admin = await app.SignInClientAsync("admin", TaizhangApp.Password);

        var (status, index) = await admin.GetHtmlAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("id=\"first-unit\"", index);
        var (_, page) = await admin.GetHtmlAsync("/admin/units");
        Assert.DoesNotContain("Create.Parent", page);

        using var village = await admin.PostFormAsync("/admin/units?handler=Create", ("Create.Kind", "Village"), ("Create.Name", "东村"), ("Create.Code", "HK-DC"));
        Assert.Equal(HttpStatusCode.BadRequest, village.StatusCode);
        Assert.Contains("id=\"create-kind-error\">第一个单位只能是镇或县", await village.Content.ReadAsStringAsync());

        using var town = await admin.PostFormAsync("/admin/units?handler=Create", ("Create.Kind", "Town"), ("Create.Name", "河口镇"), ("Create.Code", "HK"));
        Assert.Equal(HttpStatusCode.Redirect, town.StatusCode);
        var (_, after) = await admin.GetHtmlAsync("/admin/units");
        Assert.Contains("id=\"unit-HK\"", after);
        Assert.Contains("<option value=\"HK\">", after);
        Assert.DoesNotContain("id=\"first-unit\"", (await admin.GetHtmlAsync("/admin")).Html);
    }
}

public sealed class AdminFirstUnitPageTests_Sqlite(EmptySqliteApp app) : AdminFirstUnitPageTests(app), IClassFixture<EmptySqliteApp>;

public sealed class AdminFirstUnitPageTests_Postgres(EmptyPostgresApp app) : AdminFirstUnitPageTests(app), IClassFixture<EmptyPostgresApp>;
