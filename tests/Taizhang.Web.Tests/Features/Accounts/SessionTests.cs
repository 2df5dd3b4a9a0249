using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>Who may call at all: anonymous callers, signing in and out, lockout, antiforgery, API tokens.</summary>
public abstract class SessionTests(TaizhangApp app)
{
    [Fact]
    public async Task Anonymous_EveryCaseRouteAndOpenApi_Is401WithoutRedirect_AndWritesNothing()
    {
        var town = app.SharedClientAs("town");
        var registered = await town.RegisterAsync(CaseApi.NewCase(title: "匿名访问测试"));
        var id = registered.Id();
        var before = await town.SnapshotAsync(id);
        var count = await CountAsync();
        var anonymous = app.AnonymousClient();

        var requests = new List<(HttpMethod Method, string Url, object? Body)>
        {
            (HttpMethod.Get, "/api/v1/cases", null),
            (HttpMethod.Get, "/api/v1/cases?q=" + registered.TrackingCode(), null),
            (HttpMethod.Post, "/api/v1/cases", CaseApi.NewCase(title: "匿名登记")),
            (HttpMethod.Get, $"/api/v1/cases/{id}", null),
            (HttpMethod.Get, "/api/v1/cases/999999999", null),
            (HttpMethod.Get, "/openapi/v1.json", null),
            (HttpMethod.Get, "/api/v1/session", null),
            (HttpMethod.Delete, "/api/v1/session", null),
        };
        foreach (var (route, _) in CaseActionRoutes.All)
        {
            requests.Add((HttpMethod.Post, $"/api/v1/cases/{id}/{CaseActionRoutes.PathOf(route)}",
                CaseActionRoutes.Body(new CaseActionRoutes.Spec(route, "SCH-MJC", "SCH-MJC", false, route), id)));
        }

        foreach (var (method, url, body) in requests)
        {
            using var response = await anonymous.SendJsonAsync(method, url, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {url}: {response.StatusCode} {text}");
            Assert.Null(response.Headers.Location);
            Assert.DoesNotContain("匿名访问测试", text);
            Assert.DoesNotContain("张桂兰", text);
        }
        await town.AssertUnchangedAsync(id, before);
        Assert.Equal(count, await CountAsync());
    }

    [Fact]
    public async Task Anonymous_PublicTrackingAndSignInPage_AreOpen()
    {
        var code = (await app.SharedClientAs("town").RegisterAsync(CaseApi.NewCase(title: "公开查询测试"))).TrackingCode();
        var anonymous = app.AnonymousClient();

        using var track = await anonymous.TrackAsync(code);
        Assert.Equal(HttpStatusCode.OK, track.StatusCode);
        Assert.Equal(code, (await track.ReadJsonAsync())["trackingCode"]!.GetValue<string>());

        using var page = await anonymous.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("name=\"password\"", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignIn_WrongPasswordAndUnknownUser_GetTheSameAnswer()
    {
        var userName = await app.EnsureUserAsync("错密码用户-" + Guid.NewGuid().ToString("N")[..8]);
        var anonymous = app.AnonymousClient();

        using var wrong = await SignInAsync(anonymous, userName, "not the password at all");
        var wrongProblem = await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "sign-in-failed");
        using var unknown = await SignInAsync(anonymous, "nobody-" + Guid.NewGuid().ToString("N")[..8], TaizhangApp.Password);
        var unknownProblem = await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized, "sign-in-failed");

        wrongProblem.Remove("instance");
        unknownProblem.Remove("instance");
        wrongProblem.Remove("traceId");
        unknownProblem.Remove("traceId");
        Assert.Equal(wrongProblem.ToJsonString(), unknownProblem.ToJsonString());

        // Still signed out.
        using var cases = await anonymous.GetAsync("/api/v1/cases");
        Assert.Equal(HttpStatusCode.Unauthorized, cases.StatusCode);
        // The right password still works after one failure.
        using var right = await SignInAsync(anonymous, userName, TaizhangApp.Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task SignIn_AfterFiveWrongPasswords_IsRefused_EvenWithTheRightPassword_WithTheAnswerOfAnUnknownName()
    {
        var userName = await app.EnsureUserAsync("锁定测试-" + Guid.NewGuid().ToString("N")[..8]);
        var anonymous = app.AnonymousClient();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var response = await SignInAsync(anonymous, userName, "wrong password " + attempt);
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "sign-in-failed");
        }

        // Once a 423 "locked-out": it told an attacker the name was an account's.
        using var locked = await SignInAsync(anonymous, userName, TaizhangApp.Password);
        var lockedProblem = await locked.AssertProblemAsync(HttpStatusCode.Unauthorized, "sign-in-failed");
        using var unknown = await SignInAsync(anonymous, "nobody-" + Guid.NewGuid().ToString("N")[..8], TaizhangApp.Password);
        var unknownProblem = await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized, "sign-in-failed");
        lockedProblem.Remove("traceId");
        unknownProblem.Remove("traceId");
        Assert.Equal(unknownProblem.ToJsonString(), lockedProblem.ToJsonString());
        using var cases = await anonymous.GetAsync("/api/v1/cases");
        Assert.Equal(HttpStatusCode.Unauthorized, cases.StatusCode);
    }

    [Fact]
    public async Task GetSession_ReturnsDisplayNamePostsAndAntiforgeryToken()
    {
        using var response = await app.SharedClientAs("cadre").GetAsync("/api/v1/session");
        var session = await response.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("User", session["kind"]!.GetValue<string>());
        Assert.Equal("马家村干部", session["name"]!.GetValue<string>());
        var post = Assert.Single(session["posts"]!.AsArray())!;
        Assert.Equal("VillageCadre", post["role"]!.GetValue<string>());
        Assert.Equal("SCH-MJC", post["unit"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(session["antiforgeryToken"]?.GetValue<string>()));
        Assert.DoesNotContain(TaizhangApp.Password, session.ToJsonString());
    }

    [Fact]
    public async Task CookiePostWithoutAntiforgeryHeader_Is400_AndWritesNothing()
    {
        var town = app.SharedClientAs("town");
        var id = await town.RegisterIdAsync(CaseApi.NewCase(title: "防跨站请求测试"));
        var before = await town.SnapshotAsync(id);
        var count = await CountAsync();

        // A browser signed in with a cookie, but the request carries no X-XSRF-TOKEN.
        var browser = app.AnonymousClient();
        using var signIn = await SignInAsync(browser, await app.EnsureUserAsync("town"), TaizhangApp.Password);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var token = (await signIn.ReadJsonAsync())["antiforgeryToken"]!.GetValue<string>();

        using (var register = await browser.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "伪造登记")))
        {
            await register.AssertProblemAsync(HttpStatusCode.BadRequest, "antiforgery");
        }
        using (var act = await browser.ActAsync(id, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" }))
        {
            await act.AssertProblemAsync(HttpStatusCode.BadRequest, "antiforgery");
        }
        using (var reveal = await browser.ActAsync(id, "personal-data"))
        {
            await reveal.AssertProblemAsync(HttpStatusCode.BadRequest, "antiforgery");
        }
        using (var forged = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{id}/reject") { Content = JsonContent.Create(new { reason = "伪造" }) })
        {
            forged.Headers.Add("X-XSRF-TOKEN", "not-the-token");
            using var response = await browser.SendAsync(forged);
            await response.AssertProblemAsync(HttpStatusCode.BadRequest, "antiforgery");
        }
        using (var signOut = await browser.DeleteAsync("/api/v1/session"))
        {
            await signOut.AssertProblemAsync(HttpStatusCode.BadRequest, "antiforgery");
        }
        await town.AssertUnchangedAsync(id, before);
        Assert.Equal(count, await CountAsync());

        // Reading needs no token, and the same session with the token may write: the refusals were the missing token.
        Assert.Equal(before.Status, (await browser.GetCaseAsync(id)).Status());
        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = JsonContent.Create(CaseApi.NewCase(title: "带令牌登记")) };
        withToken.Headers.Add("X-XSRF-TOKEN", token);
        using var created = await browser.SendAsync(withToken);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var client = app.ClientAs("退出测试-" + Guid.NewGuid().ToString("N")[..8]);
        using (var cases = await client.GetAsync("/api/v1/cases"))
        {
            Assert.Equal(HttpStatusCode.OK, cases.StatusCode);
        }
        using (var signOut = await client.DeleteAsync("/api/v1/session"))
        {
            Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        }
        using (var after = await client.GetAsync("/api/v1/cases"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
            Assert.Null(after.Headers.Location);
        }
        using var register = await client.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "退出后登记"));
        Assert.Equal(HttpStatusCode.Unauthorized, register.StatusCode);
    }

    [Fact]
    public async Task SignOut_InvalidatesEveryCopyOfTheCookie()
    {
        var userName = await app.EnsureUserAsync("复制cookie-" + Guid.NewGuid().ToString("N")[..8]);
        var raw = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        using var signIn = await raw.PostAsJsonAsync("/api/v1/session", new { userName, password = TaizhangApp.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var token = (await signIn.ReadJsonAsync())["antiforgeryToken"]!.GetValue<string>();
        var cookie = string.Join("; ", signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

        async Task<HttpStatusCode> SendAsync(HttpMethod method, string url)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Add("Cookie", cookie);
            request.Headers.Add("X-XSRF-TOKEN", token);
            using var response = await raw.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/api/v1/cases"));
        Assert.Equal(HttpStatusCode.NoContent, await SendAsync(HttpMethod.Delete, "/api/v1/session"));
        // The browser dropped its cookie; a copy of it (stolen, or another tab) must not work either.
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/api/v1/cases"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/api/v1/org-units"));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(HttpMethod.Get, "/openapi/v1.json"));
    }

    [Fact]
    public async Task ApiToken_SchemeNameIsCaseInsensitive()
    {
        var (_, _, token) = await AddApiClientAsync("SCH", "Hotline");
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "bearer " + token);
        using var response = await client.GetAsync("/api/v1/cases");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ApiToken_RegistersOnItsChannelUnderItsUnit_AsTheClient_WithoutAntiforgery()
    {
        var (clientId, name, token) = await AddApiClientAsync("SCH", "Hotline");
        var hotline = app.AnonymousClient();
        hotline.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var created = await hotline.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "热线平台转来", orgUnit: "SCH-MJC", channel: "Hotline"));
        var json = await created.ReadJsonAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{created.StatusCode}: {json}");

        var register = Assert.Single((await app.SharedClientAs("town").GetCaseAsync(json.Id())).Events())!;
        Assert.Equal("Register", register["action"]!.GetValue<string>());
        Assert.Equal("ApiClient", register["actor"]!["kind"]!.GetValue<string>());
        Assert.Equal(name, register["actor"]!["name"]!.GetValue<string>());
        Assert.Equal($"client:{clientId}", register["actor"]!["id"]!.GetValue<string>());

        var count = await CountAsync();
        using var wechat = await hotline.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "微信渠道", orgUnit: "SCH-MJC", channel: "WeChat"));
        var problem = await wechat.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey("channel"), problem.ToJsonString());
        Assert.Equal(count, await CountAsync());
    }

    [Fact]
    public async Task ApiToken_OutsideItsUnit_IsFieldErrorOrgUnit()
    {
        var (_, _, token) = await AddApiClientAsync("SCH-MJC", "Hotline");
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var count = await CountAsync();

        using var inside = await client.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "本村来电", orgUnit: "SCH-MJC-1"));
        Assert.Equal(HttpStatusCode.Created, inside.StatusCode);
        using var outside = await client.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "外村来电", orgUnit: "SCH-WJC"));
        var problem = await outside.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.Errors().ContainsKey("orgUnit"), problem.ToJsonString());
        Assert.Equal(count + 1, await CountAsync());
    }

    [Fact]
    public async Task ApiToken_Use_IsRecordedAtMostOnceAMinute()
    {
        var (clientId, _, token) = await AddApiClientAsync("SCH", "Hotline");
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        async Task<DateTime?> LastUsedAsync() => await app.WithDbAsync(db => db.ApiClients.Where(c => c.Id == clientId).Select(c => c.LastUsedAt).SingleAsync());
        Assert.Null(await LastUsedAsync());

        using (var first = await client.GetAsync("/api/v1/cases"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        var recorded = await LastUsedAsync();
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, recorded);

        app.Clock.Advance(TimeSpan.FromSeconds(30));
        using (var again = await client.GetAsync("/api/v1/cases"))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        Assert.Equal(recorded, await LastUsedAsync());

        app.Clock.Advance(TimeSpan.FromSeconds(31));
        using (var later = await client.GetAsync("/api/v1/cases"))
        {
            Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        }
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, await LastUsedAsync());
    }

    [Fact]
    public async Task ApiToken_Revoked_Is401()
    {
        var (clientId, _, token) = await AddApiClientAsync("SCH", "Hotline");
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // The node empties the cache when it reads a change stamp it has not seen (the first read after its
        // start; another test's admin change): take that read now, so it cannot fall between the requests below.
        await app.Services.GetRequiredService<ClusterNode>().CheckStampsAsync(CancellationToken.None);
        using (var before = await client.GetAsync("/api/v1/cases"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // Revoked in the database behind the server's back (an operator's SQL: no change stamp, which a
        // Taizhang node's save would bump and every node's poll would act on within Cluster:PollSeconds, see
        // ClusterTests): this server keeps valid tokens in memory for ApiClientCache.Lifetime, so the
        // revocation still holds once that has passed. (A save through the model here would race the poll.)
        var revokedAt = DateTime.UtcNow;
        Assert.Equal(1, await app.WithDbAsync(db => db.ApiClients.Where(c => c.Id == clientId)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.RevokedAt, revokedAt))));
        using (var cached = await client.GetAsync("/api/v1/cases"))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }
        app.Clock.Advance(ApiClientCache.Lifetime);

        var count = await CountAsync();
        using (var list = await client.GetAsync("/api/v1/cases"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        }
        using (var register = await client.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "吊销后登记")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, register.StatusCode);
        }
        Assert.Equal(count, await CountAsync());
    }

    [Fact]
    public async Task ApiToken_OnTheStaffPages_IsTreatedAsAnonymous_AndCannotPostTheHotlineForm()
    {
        var (_, _, token) = await AddApiClientAsync("SCH", "Hotline");
        var id = await app.SharedClientAs("town").RegisterIdAsync(CaseApi.NewCase(title: "令牌访问页面"));
        var bearer = app.AnonymousClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var anonymous = app.AnonymousClient();

        // The token is good: the API answers it.
        using (var api = await bearer.GetAsync("/api/v1/cases"))
        {
            Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        }
        using (var openApi = await bearer.GetAsync("/openapi/v1.json"))
        {
            Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        }

        // Every page answers it as it answers a browser without a session: off to sign in.
        foreach (var page in new[] { "/", "/board", "/cases", $"/cases/{id}", "/hotline", "/triage", "/triage?queue=AwaitingAssignment" })
        {
            using var withToken = await GetPageAsync(bearer, page);
            using var without = await GetPageAsync(anonymous, page);
            Assert.True(withToken.StatusCode == HttpStatusCode.Redirect, $"{page}: {withToken.StatusCode}");
            Assert.Equal(without.Headers.Location, withToken.Headers.Location);
            Assert.StartsWith("/signin", withToken.Headers.Location!.PathAndQuery);
            Assert.DoesNotContain("令牌访问页面", await withToken.Content.ReadAsStringAsync());
        }

        var count = await CountAsync();
        using var post = await bearer.PostFormAsync("/hotline",
            ("key", Guid.NewGuid().ToString("N")), ("phone", "139 1234 5678"), ("name", "李秀英"), ("orgUnit", "SCH-MJC"),
            ("category", "roads"), ("urgency", "High"), ("title", "令牌提交的来电"), ("description", "不应登记。"));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/signin", post.Headers.Location!.PathAndQuery);
        Assert.Equal(count, await CountAsync());
    }

    private static Task<HttpResponseMessage> GetPageAsync(HttpClient client, string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html");
        return client.SendAsync(request);
    }

    [Fact]
    public async Task ApiToken_MalformedOrUnknown_Is401()
    {
        var (_, _, token) = await AddApiClientAsync("SCH", "Hotline");
        var prefix = ApiTokens.PrefixOf(token)!;
        var unknown = ApiTokens.New().Token;
        var wrongSecret = $"tz_{prefix}_{new string('x', 40)}";
        var count = await CountAsync();

        foreach (var bad in new[] { "garbage", "tz_", "tz_short_secret", unknown, wrongSecret, token + "x", token.ToUpperInvariant() })
        {
            var client = app.AnonymousClient();
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + bad);
            using var list = await client.GetAsync("/api/v1/cases");
            Assert.True(list.StatusCode == HttpStatusCode.Unauthorized, $"{bad}: {list.StatusCode}");
            using var register = await client.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "伪造令牌"));
            Assert.True(register.StatusCode == HttpStatusCode.Unauthorized, $"{bad}: {register.StatusCode}");
        }
        Assert.Equal(count, await CountAsync());
    }


    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password) =>
        client.PostAsJsonAsync("/api/v1/session", new { userName, password });

    private Task<(long Id, string Name, string Token)> AddApiClientAsync(string unit, string channels) =>
        app.AddApiClientAsync(unit, channels, namePrefix: "12345热线-");

    private Task<int> CountAsync() => app.WithDbAsync(db => db.Cases.CountAsync());
}

public sealed class SessionTests_Sqlite(SqliteApp app) : SessionTests(app), IClassFixture<SqliteApp>;

public sealed class SessionTests_Postgres(PostgresApp app) : SessionTests(app), IClassFixture<PostgresApp>;
