using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Data;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>
/// The attacks on signing in, tried as an attacker would (security issue, item 3): telling real
/// accounts from unknown ones by the answer or its time, shutting a person out with five wrong
/// passwords, and using up the office's shared sign-in allowance with public tracking look-ups.
/// The app runs with the production limits, and each client says which address it comes from.
/// </summary>
public abstract class SignInThrottleTests(SignInThrottleTests.IThrottledApp fixture)
{
    private readonly TaizhangApp app = (TaizhangApp)fixture;

    /// <summary>The production limits, a client address per request (X-Test-Address), and a count of password hash verifications.</summary>
    public interface IThrottledApp
    {
        CountingPasswordHasher Hasher { get; }
    }

    public const string AddressHeader = "X-Test-Address";

    private const int MaxFailedPerAddress = 12;

    internal static void Configure(IWebHostBuilder builder, CountingPasswordHasher hasher)
    {
        // The defaults of the README's settings table, not TaizhangApp's generous test values; only
        // the failures allowed per address are fewer than the sign-ins allowed per minute (20), so
        // that a test reaches that limit without waiting for the rate limiter's real minutes.
        builder.UseSetting("RateLimits:SignInPerMinute", "20");
        builder.UseSetting("RateLimits:TrackingPerMinute", "60");
        builder.UseSetting("Accounts:MaxFailedSignInsPerAddress", MaxFailedPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<IPasswordHasher<AppUser>>(hasher);
            services.AddTransient<IStartupFilter, AddressFromHeader>();
        });
    }

    private sealed class AddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (IPAddress.TryParse(http.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    http.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(http);
            });
            next(app);
        };
    }

    /// <summary>Counts VerifyHashedPassword calls: the expensive part of every answer to a sign-in.</summary>
    public sealed class CountingPasswordHasher : IPasswordHasher<AppUser>
    {
        private readonly PasswordHasher<AppUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(AppUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task UnknownName_WrongPassword_AndThrottledAccount_GetTheSameAnswer_AfterTheSameWork()
    {
        var userName = await NewUserAsync();
        var attacker = From(NewAddress());
        for (var i = 1; i <= 5; i++)
        {
            using var guess = await SignInAsync(attacker, userName, "wrong guess number " + i);
            await guess.AssertProblemAsync(HttpStatusCode.Unauthorized, "sign-in-failed");
        }

        // Before the fix: 423 locked-out in ~3 ms for the real, locked account, 401 in ~100 ms for an unknown name.
        var (unknown, unknownWork) = await AnswerAsync(attacker, "nobody-" + Guid.NewGuid().ToString("N")[..8], TaizhangApp.Password);
        var (wrong, wrongWork) = await AnswerAsync(From(NewAddress()), userName, "not the password either");
        var (throttled, throttledWork) = await AnswerAsync(attacker, userName, TaizhangApp.Password);

        Assert.Equal(unknown, wrong);
        Assert.Equal(unknown, throttled);
        Assert.Contains("\"status\":401", unknown);
        Assert.Contains("sign-in-failed", unknown);
        Assert.Contains("15", unknown);
        // The same work: exactly one password hash verification each (a dummy one where there is no real one to do).
        Assert.Equal(1, unknownWork);
        Assert.Equal(1, wrongWork);
        Assert.Equal(1, throttledWork);
    }

    [Fact]
    public async Task FiveWrongPasswordsFromOneAddress_DoNotShutThePersonOut_Elsewhere()
    {
        var userName = await NewUserAsync();
        var attacker = From(NewAddress());
        for (var i = 1; i <= 5; i++)
        {
            using var guess = await SignInAsync(attacker, userName, "wrong guess number " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        // The guessing address is refused even with the right password …
        using (var refused = await SignInAsync(attacker, userName, TaizhangApp.Password))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, "sign-in-failed");
        }
        // … the person at their own desk is not.
        using (var person = await SignInAsync(From(NewAddress()), userName, TaizhangApp.Password))
        {
            Assert.Equal(HttpStatusCode.OK, person.StatusCode);
        }

        // And the refusal ends by itself when the failures leave the window.
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        using var later = await SignInAsync(attacker, userName, TaizhangApp.Password);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task GuessingFromManyAddresses_IsRefusedEverywhere_UntilTheWindowPasses()
    {
        var userName = await NewUserAsync();
        // 20 failures from 5 addresses, 4 each: no single address reaches its own limit of 5.
        for (var a = 0; a < 5; a++)
        {
            var address = From(NewAddress());
            for (var i = 0; i < 4; i++)
            {
                using var guess = await SignInAsync(address, userName, $"wrong guess {a}-{i}");
                Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
            }
            app.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        using (var refused = await SignInAsync(From(NewAddress()), userName, TaizhangApp.Password))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, "sign-in-failed");
        }
        // The first 4 failures leave the window 15 minutes after they were made: then the person gets in.
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        using var later = await SignInAsync(From(NewAddress()), userName, TaizhangApp.Password);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public async Task Administrator_SeesWhoIsThrottledUntilWhen_AndLiftsIt()
    {
        var userName = await NewUserAsync();
        var id = await app.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.UserName == userName).Id));
        var attackerAddress = NewAddress();
        var attacker = From(attackerAddress);
        var started = app.Clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < 5; i++)
        {
            using var guess = await SignInAsync(attacker, userName, "wrong guess " + i);
        }
        var admin = app.ClientAs("admin-sch");

        var one = await GetUserAsync(admin, id);
        Assert.False(one["lockedOut"]!.GetValue<bool>());
        Assert.Equal(5, one["failedSignIns"]!.GetValue<int>());
        var throttled = Assert.Single(one["throttledAddresses"]!.AsArray())!;
        Assert.Equal(attackerAddress, throttled["address"]!.GetValue<string>());
        Assert.Equal(started.AddMinutes(15), throttled["until"]!.GetValue<DateTime>().ToUniversalTime());

        // 15 more from other addresses: refused from everywhere, and the list says until when.
        for (var a = 0; a < 3; a++)
        {
            var address = From(NewAddress());
            for (var i = 0; i < 5; i++)
            {
                using var guess = await SignInAsync(address, userName, $"wrong guess {a}-{i}");
            }
        }
        using (var list = await admin.GetAsync("/api/v1/admin/users"))
        {
            var row = (await list.Content.ReadFromJsonAsync<JsonArray>())!.Single(u => u!["id"]!.GetValue<long>() == id)!;
            Assert.True(row["lockedOut"]!.GetValue<bool>());
            Assert.Equal(started.AddMinutes(15), row["lockedOutUntil"]!.GetValue<DateTime>().ToUniversalTime());
            Assert.Equal(4, row["throttledAddresses"]!.AsArray().Count);
        }
        using (var refused = await SignInAsync(From(NewAddress()), userName, TaizhangApp.Password))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var unlock = await admin.PostAsync($"/api/v1/admin/users/{id}/unlock", null))
        {
            var lifted = await unlock.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.OK, unlock.StatusCode);
            Assert.False(lifted["lockedOut"]!.GetValue<bool>());
            Assert.Null(lifted["lockedOutUntil"]);
            Assert.Equal(0, lifted["failedSignIns"]!.GetValue<int>());
            Assert.Empty(lifted["throttledAddresses"]!.AsArray());
        }
        using var person = await SignInAsync(attacker, userName, TaizhangApp.Password);
        Assert.Equal(HttpStatusCode.OK, person.StatusCode);
    }

    [Fact]
    public async Task OneAddress_FailingOnManyNames_IsRefusedForEveryName_OthersAreNot()
    {
        var userName = await NewUserAsync();
        var sprayer = From(NewAddress());
        // One common password tried on many names (unknown ones count too), as password spraying does.
        for (var i = 0; i < MaxFailedPerAddress; i++)
        {
            using var guess = await SignInAsync(sprayer, $"staff-{i:00}-{Guid.NewGuid():N}"[..16], "Spring-2026-pass");
            Assert.Equal(HttpStatusCode.Unauthorized, guess.StatusCode);
        }

        using (var refused = await SignInAsync(sprayer, userName, TaizhangApp.Password))
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
            Assert.Contains("分钟", problem["title"]!.GetValue<string>());
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }
        using (var refusedUnknown = await SignInAsync(sprayer, "nobody-at-all", TaizhangApp.Password))
        {
            await refusedUnknown.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
        }
        using var elsewhere = await SignInAsync(From(NewAddress()), userName, TaizhangApp.Password);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task SeventyTrackingLookUps_DoNotKeepTheOfficeFromSigningIn()
    {
        var code = (await app.SharedClientAs("town").RegisterAsync(CaseApi.NewCase(title: "共享地址查询"))).TrackingCode();
        var userName = await NewUserAsync();
        var office = NewAddress();
        var residents = From(office);

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 70; i++)
        {
            using var track = await residents.TrackAsync(code);
            answers.Add(track.StatusCode);
        }
        // The tracking bucket did its job …
        Assert.Equal(60, answers.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(10, answers.Count(s => s == HttpStatusCode.TooManyRequests));

        // … and it is not the sign-in bucket: the clerk behind the same address signs in.
        using var signIn = await SignInAsync(From(office), userName, TaizhangApp.Password);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task SignInAttempts_HaveTheirOwnPerAddressLimit_WhichLeavesTrackingAlone()
    {
        var code = (await app.SharedClientAs("town").RegisterAsync(CaseApi.NewCase(title: "登录限流"))).TrackingCode();
        var userName = await NewUserAsync();
        var address = NewAddress();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            // A new browser each time (a signed-in one would need the antiforgery token), one address.
            using var attempt = await SignInAsync(From(address), userName, TaizhangApp.Password);
            answers.Add(attempt.StatusCode);
        }
        Assert.Equal(20, answers.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);

        // The sign-in page is still shown (only attempts count), and residents still track.
        using var page = await From(address).GetAsync("/signin");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using var track = await From(address).TrackAsync(code);
        Assert.Equal(HttpStatusCode.OK, track.StatusCode);
    }

    [Fact]
    public async Task TheSignInPage_GivesTheSameAnswer_ForUnknownWrongAndThrottled()
    {
        var userName = await NewUserAsync();
        var attacker = From(NewAddress());
        for (var i = 0; i < 5; i++)
        {
            using var guess = await PostSignInFormAsync(attacker, userName, "wrong guess " + i);
        }

        var unknown = await PostSignInFormAsync(attacker, "nobody-" + Guid.NewGuid().ToString("N")[..8], TaizhangApp.Password);
        var wrong = await PostSignInFormAsync(From(NewAddress()), userName, "not the password either");
        var throttled = await PostSignInFormAsync(attacker, userName, TaizhangApp.Password);

        foreach (var response in new[] { unknown, wrong, throttled })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("taizhang.auth=", StringComparison.Ordinal)));
        }
        var messages = new List<string>();
        foreach (var response in new[] { unknown, wrong, throttled })
        {
            var html = await response.Content.ReadAsStringAsync();
            var error = System.Text.RegularExpressions.Regex.Match(html, "id=\"password-error\">([^<]*)<").Groups[1].Value;
            messages.Add(error);
            response.Dispose();
        }
        Assert.Equal("用户名或密码不正确。多次输错后，需等待 15 分钟才能再试。", messages[0]);
        Assert.All(messages, m => Assert.Equal(messages[0], m));
    }

    private async Task<(string Body, int Work)> AnswerAsync(HttpClient client, string userName, string password)
    {
        var before = fixture.Hasher.Verifications;
        using var response = await SignInAsync(client, userName, password);
        var work = fixture.Hasher.Verifications - before;
        var problem = await response.ReadJsonAsync();
        problem.Remove("traceId");
        problem.Remove("requestId");
        return (problem.ToJsonString(), work);
    }

    private async Task<JsonObject> GetUserAsync(HttpClient admin, long id)
    {
        using var response = await admin.GetAsync($"/api/v1/admin/users/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private Task<string> NewUserAsync() => app.EnsureUserAsync("限流测试-" + Guid.NewGuid().ToString("N")[..8]);

    private static int _addresses;

    /// <summary>A fresh documentation address (RFC 5737) per use: the limits per address start from nothing.</summary>
    private static string NewAddress()
    {
        var n = Interlocked.Increment(ref _addresses);
        return $"198.51.{100 + (n / 250)}.{1 + (n % 250)}";
    }

    private HttpClient From(string address)
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password) =>
        client.PostAsJsonAsync("/api/v1/session", new { userName, password });

    /// <summary>The sign-in form as a browser posts it: the page's antiforgery token and cookie first.</summary>
    private static async Task<HttpResponseMessage> PostSignInFormAsync(HttpClient client, string userName, string password)
    {
        var page = await client.GetStringAsync("/signin");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = userName,
            ["password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }
}

public sealed class ThrottledSqliteApp : SqliteApp, SignInThrottleTests.IThrottledApp
{
    public SignInThrottleTests.CountingPasswordHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        SignInThrottleTests.Configure(builder, Hasher);
    }
}

public sealed class ThrottledPostgresApp : PostgresApp, SignInThrottleTests.IThrottledApp
{
    public SignInThrottleTests.CountingPasswordHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        SignInThrottleTests.Configure(builder, Hasher);
    }
}

public sealed class SignInThrottleTests_Sqlite(ThrottledSqliteApp app) : SignInThrottleTests(app), IClassFixture<ThrottledSqliteApp>;

public sealed class SignInThrottleTests_Postgres(ThrottledPostgresApp app) : SignInThrottleTests(app), IClassFixture<ThrottledPostgresApp>;
