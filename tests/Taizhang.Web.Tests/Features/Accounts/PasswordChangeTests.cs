using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>
/// A password someone else knows (set by an administrator, generated, reset) must be changed
/// before anything else: the API says so with its own problem type, pages send the person to
/// /account, and changing it (page or API) lets them on, signed in, recorded in the audit trail.
/// </summary>
public abstract partial class PasswordChangeTests(TaizhangApp app)
{
    private const string FirstPassword = "given by the office";

    [Fact]
    public async Task AnAccountMadeByAnAdministrator_MustChangeItsPassword_BeforeTheApiAnswersAnythingElse()
    {
        var (id, userName) = await CreateAsync();
        var client = app.AnonymousClient();
        using var signIn = await client.PostAsJsonAsync("/api/v1/session", new { userName, password = FirstPassword });
        var session = await signIn.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.True(session["mustChangePassword"]!.GetValue<bool>());
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", session["antiforgeryToken"]!.GetValue<string>());

        // Everything else is 403 with its own type and a title that says what to do.
        var title = "改密码前登记 " + Guid.NewGuid().ToString("N")[..6];
        foreach (var (method, url) in new[] { ("GET", "/api/v1/cases"), ("POST", "/api/v1/cases"), ("GET", "/api/v1/categories"), ("GET", "/api/v1/saved-views"), ("GET", "/openapi/v1.json") })
        {
            using var refused = await client.SendJsonAsync(new HttpMethod(method), url, method == "POST" ? CaseApi.NewCase(title: title) : null);
            var problem = await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "password-change-required");
            Assert.Contains("/account", problem["title"]!.GetValue<string>());
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.Title == title)));
        // Who am I still answers, and says it.
        var me = await (await client.GetAsync("/api/v1/session")).ReadJsonAsync();
        Assert.True(me["mustChangePassword"]!.GetValue<bool>());

        using var changed = await client.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = FirstPassword, newPassword = "my own quiet words" });
        var account = await changed.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.False(account["mustChangePassword"]!.GetValue<bool>());
        Assert.Equal(userName, account["userName"]!.GetValue<string>());

        // Still signed in, and now everything answers.
        using var cases = await client.GetAsync("/api/v1/cases");
        Assert.Equal(HttpStatusCode.OK, cases.StatusCode);
        Assert.False((await (await client.GetAsync("/api/v1/session")).ReadJsonAsync())["mustChangePassword"]!.GetValue<bool>());
        Assert.False((await (await app.SharedClientAs("admin-sch").GetAsync($"/api/v1/admin/users/{id}")).ReadJsonAsync())["mustChangePassword"]!.GetValue<bool>());

        // The office's password no longer works; the person's own does, unmarked.
        using var old = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = FirstPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        using var own = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = "my own quiet words" });
        Assert.False((await own.ReadJsonAsync())["mustChangePassword"]!.GetValue<bool>());

        var audit = await (await app.SharedClientAs("admin-county").GetAsync("/api/v1/admin/audit?take=200")).Content.ReadAsStringAsync();
        Assert.Contains($"\"action\":\"account.password-change\",\"target\":\"user:{id}\",\"details\":\"was required\"", audit);
        Assert.DoesNotContain("my own quiet words", audit);
        Assert.DoesNotContain(FirstPassword, audit);
    }

    [Fact]
    public async Task ChangingIt_RefusesAWrongCurrentPassword_ACommonOne_TheSameOne_AndAMismatch_WithFieldMessages()
    {
        var (_, userName) = await CreateAsync();
        var client = await SignedInMarkedAsync(userName);

        async Task<string> RefusedAsync(object body, string field)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/account/password", body);
            var errors = (await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors();
            Assert.True(errors.ContainsKey(field), errors.ToJsonString());
            return errors[field]![0]!.GetValue<string>();
        }

        Assert.StartsWith("当前密码不正确", await RefusedAsync(new { currentPassword = "not the password", newPassword = "my own quiet words" }, "currentPassword"));
        Assert.StartsWith("这个密码太常见", await RefusedAsync(new { currentPassword = FirstPassword, newPassword = "woaini1314" }, "newPassword"));
        Assert.Equal("密码至少 10 个字符。", await RefusedAsync(new { currentPassword = FirstPassword, newPassword = "short" }, "newPassword"));
        Assert.Equal("新密码不能与当前密码相同。", await RefusedAsync(new { currentPassword = FirstPassword, newPassword = FirstPassword }, "newPassword"));
        Assert.Equal("两次输入的新密码不一致。", await RefusedAsync(new { currentPassword = FirstPassword, newPassword = "my own quiet words", confirmPassword = "my own quiet word" }, "confirmPassword"));
        Assert.Equal("必填。", await RefusedAsync(new { newPassword = "my own quiet words" }, "currentPassword"));

        // Nothing changed: still marked, the first password still the one.
        using var still = await client.GetAsync("/api/v1/cases");
        await still.AssertProblemAsync(HttpStatusCode.Forbidden, "password-change-required");
        using var english = new HttpRequestMessage(HttpMethod.Post, "/api/v1/account/password") { Content = JsonContent.Create(new { currentPassword = FirstPassword, newPassword = "qwertyuiop" }) };
        english.Headers.AcceptLanguage.ParseAdd("en");
        using var en = await client.SendAsync(english);
        Assert.StartsWith("This password is too common", (await en.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors()["newPassword"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongCurrentPasswords_CountAsFailedSignIns_AndAnAdministratorLiftsThem()
    {
        var (id, userName) = await CreateAsync();
        var client = await SignedInMarkedAsync(userName);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = "guess " + i, newPassword = "my own quiet words" });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }
        // A stolen session guesses no faster than the sign-in page: now even the right one is refused.
        using (var refused = await client.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = FirstPassword, newPassword = "my own quiet words" }))
        {
            Assert.StartsWith("当前密码不正确", (await refused.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors()["currentPassword"]![0]!.GetValue<string>());
        }
        var user = await (await app.SharedClientAs("admin-sch").GetAsync($"/api/v1/admin/users/{id}")).ReadJsonAsync();
        Assert.Equal(5, user["failedSignIns"]!.GetValue<int>());

        using (var unlock = await app.SharedClientAs("admin-sch").PostAsync($"/api/v1/admin/users/{id}/unlock", null))
        {
            Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
        }
        using var changed = await client.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = FirstPassword, newPassword = "my own quiet words" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task APasswordResetByAnAdministrator_MarksTheAccountAgain_AndAGeneratedOneIsAnsweredOnce()
    {
        var (id, userName) = await CreateAsync();
        var (_, own) = await app.SignInAsync(userName, FirstPassword);
        var admin = app.SharedClientAs("admin-sch");

        using var reset = await admin.PostAsJsonAsync($"/api/v1/admin/users/{id}/password", new { generatePassword = true });
        var view = await reset.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        var generated = view["generatedPassword"]!.GetValue<string>();
        Assert.Matches("^[a-z2-9]{4}(-[a-z2-9]{4}){3}$", generated);
        Assert.True(view["mustChangePassword"]!.GetValue<bool>());
        // Once: never in a later answer.
        var later = await (await admin.GetAsync($"/api/v1/admin/users/{id}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(generated, later);
        Assert.DoesNotContain("generatedPassword", later);
        Assert.DoesNotContain(generated, await (await admin.GetAsync("/api/v1/admin/users")).Content.ReadAsStringAsync());

        using var typedAndGenerated = await admin.PostAsJsonAsync($"/api/v1/admin/users/{id}/password", new { password = "another long one", generatePassword = true });
        Assert.True((await typedAndGenerated.AssertProblemAsync(HttpStatusCode.BadRequest, "validation")).Errors().ContainsKey("password"));

        using var byOwn = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = own });
        Assert.Equal(HttpStatusCode.Unauthorized, byOwn.StatusCode);
        using var byGenerated = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = generated });
        Assert.True((await byGenerated.ReadJsonAsync())["mustChangePassword"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Pages_SendAMarkedPersonToTheAccountPage_WhichSaysWhy_AndTheChangeThereLetsThemOn()
    {
        var (_, userName) = await CreateAsync();
        var client = await SignedInMarkedAsync(userName);

        foreach (var url in new[] { "/", "/board", "/cases", "/hotline", "/admin/users" })
        {
            var (status, _) = await client.GetHtmlAsync(url);
            Assert.True(status == HttpStatusCode.Redirect, $"{url}: {status}");
        }
        using (var board = await client.GetAsync("/board"))
        {
            Assert.Equal("/account", board.Headers.Location?.OriginalString);
        }
        // A form posted anyway is not acted on.
        var title = "不该登记 " + Guid.NewGuid().ToString("N")[..6];
        using (var post = await client.PostFormAsync("/hotline", ("phone", "13912345678"), ("title", title), ("description", "x"), ("orgUnit", "SCH-MJC")))
        {
            Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
            Assert.Equal("/account", post.Headers.Location?.OriginalString);
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Cases.CountAsync(c => c.Title == title)));
        // What the page needs still loads.
        using (var css = await client.GetAsync("/assets/site.css"))
        {
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        }

        var (accountStatus, html) = await client.GetHtmlAsync("/account");
        Assert.Equal(HttpStatusCode.OK, accountStatus);
        Assert.Contains("id=\"must-change\"", html);
        Assert.Contains("别人也可能知道", html);
        Assert.Contains($">{userName}</dd>", html);
        Assert.Contains("镇办受理员 · 三岔镇", html);
        Assert.Contains("<a href=\"/account\"", html);

        // Refusals next to their fields.
        using (var wrong = await client.PostFormAsync("/account", ("CurrentPassword", "not it"), ("NewPassword", "my own quiet words"), ("ConfirmPassword", "my own quiet words")))
        {
            var page = await wrong.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Matches("id=\"current-password-error\">当前密码不正确", page);
            Assert.Contains("aria-describedby=\"current-password-error\"", page);
            Assert.DoesNotContain("my own quiet words", page);
        }
        using (var common = await client.PostFormAsync("/account", ("CurrentPassword", FirstPassword), ("NewPassword", "zhangwei1988"), ("ConfirmPassword", "zhangwei1988")))
        {
            var page = await common.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, common.StatusCode);
            Assert.Contains("id=\"new-password-error\">这个密码太常见", page);
            Assert.DoesNotContain("id=\"current-password-error\"", page);
        }
        using (var mismatch = await client.PostFormAsync("/account", ("CurrentPassword", FirstPassword), ("NewPassword", "my own quiet words"), ("ConfirmPassword", "")))
        {
            Assert.Contains("id=\"confirm-password-error\">两次输入的新密码不一致。", await mismatch.Content.ReadAsStringAsync());
        }

        using var done = await client.PostFormAsync("/account", ("CurrentPassword", FirstPassword), ("NewPassword", "my own quiet words"), ("ConfirmPassword", "my own quiet words"));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("/", done.Headers.Location?.OriginalString);
        var (boardStatus, boardHtml) = await client.GetHtmlAsync("/board");
        Assert.Equal(HttpStatusCode.OK, boardStatus);
        Assert.Contains("密码已修改", boardHtml);
        var (_, after) = await client.GetHtmlAsync("/account");
        Assert.DoesNotContain("id=\"must-change\"", after);
    }

    [Fact]
    public async Task AMarkedPerson_CanSignOut_FromThePageAndTheApi()
    {
        var (_, userName) = await CreateAsync();
        var page = await SignedInMarkedAsync(userName);
        using (var signOut = await page.PostFormAsync("/signout"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            Assert.Equal("/signin", signOut.Headers.Location?.OriginalString);
        }
        var api = await SignedInMarkedAsync(userName);
        using var deleted = await api.DeleteAsync("/api/v1/session");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var after = await api.GetAsync("/api/v1/session");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task TheSignInPage_TakesAMarkedPersonToTheAccountPage()
    {
        var (_, userName) = await CreateAsync();
        var browser = app.AnonymousClient();
        var (_, form) = await browser.GetHtmlAsync("/signin?ReturnUrl=%2Fcases");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        using var signIn = await browser.PostFormAsync("/signin?ReturnUrl=%2Fcases",
            ("userName", userName), ("password", FirstPassword), ("__RequestVerificationToken", token));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/account", signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AReturnUrlWithChinese_IsFollowed_PercentEncoded_NotA500()
    {
        // A link someone shares: the ledger searched for a name, in Chinese.
        const string back = "/cases?q=张";
        using var culture = await app.AnonymousClient().GetAsync("/culture?name=en&returnUrl=" + Uri.EscapeDataString(back));
        Assert.Equal(HttpStatusCode.Redirect, culture.StatusCode);
        Assert.Equal("/cases?q=%E5%BC%A0", culture.Headers.Location?.OriginalString);

        await app.EnsureUserAsync("member");
        var browser = app.AnonymousClient();
        var (_, form) = await browser.GetHtmlAsync("/signin");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        using var signIn = await browser.PostFormAsync("/signin",
            ("userName", "member"), ("password", TaizhangApp.Password), ("ReturnUrl", back), ("__RequestVerificationToken", token));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/cases?q=%E5%BC%A0", signIn.Headers.Location?.OriginalString);
        var (status, _) = await browser.GetHtmlAsync("/cases?q=%E5%BC%A0");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Integrations_HaveNoPasswordToChange_AndAreNeverHeld()
    {
        var (integration, _) = await app.IntegrationAsync();
        using var change = await integration.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = "x", newPassword = "my own quiet words" });
        await change.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        using var cases = await integration.GetAsync("/api/v1/cases");
        Assert.Equal(HttpStatusCode.OK, cases.StatusCode);
    }

    [Fact]
    public void OnlyChangingThePassword_WhoAmI_AndSigningOut_AreOpenBeforeTheChange()
    {
        var open = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<AllowedBeforePasswordChangeAttribute>() is not null)
            .Select(e => string.Join(',', e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["page"])
                + " /" + (e.RoutePattern.RawText ?? "").Trim('/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(["DELETE /api/v1/session", "GET /api/v1/session", "POST /api/v1/account/password", "page /account", "page /signout"], open);
    }

    [Fact]
    public async Task TheFirstAdministrator_IsMarked_WhetherItsPasswordWasGeneratedOrConfigured()
    {
        // The test app configures Bootstrap:AdminPassword: a password in a settings file is known to others too.
        Assert.True(await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "admin").Select(u => u.MustChangePassword).SingleAsync()));
        // People the tests make straight through UserManager (like the demo users) are not.
        await app.EnsureUserAsync("admin-sch");
        Assert.False(await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "admin-sch").Select(u => u.MustChangePassword).SingleAsync()));
    }

    private async Task<(long Id, string UserName)> CreateAsync()
    {
        var userName = "pw-" + Guid.NewGuid().ToString("N")[..8];
        using var created = await app.SharedClientAs("admin-sch").PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName, displayName = "改密码的人", password = FirstPassword,
            posts = new[] { new { role = "TownStaff", unit = "SCH" } },
        });
        var user = await created.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(user["mustChangePassword"]!.GetValue<bool>());
        Assert.Null(user["generatedPassword"]);
        return (user.Id(), userName);
    }

    /// <summary>Signed in with the office's password, not yet changed.</summary>
    private async Task<HttpClient> SignedInMarkedAsync(string userName)
    {
        var client = app.AnonymousClient();
        using var response = await client.PostAsJsonAsync("/api/v1/session", new { userName, password = FirstPassword });
        var session = await response.ReadJsonAsync();
        Assert.True(session["mustChangePassword"]!.GetValue<bool>());
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", session["antiforgeryToken"]!.GetValue<string>());
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}

public sealed class PasswordChangeTests_Sqlite(SqliteApp app) : PasswordChangeTests(app), IClassFixture<SqliteApp>;

public sealed class PasswordChangeTests_Postgres(PostgresApp app) : PasswordChangeTests(app), IClassFixture<PostgresApp>;
