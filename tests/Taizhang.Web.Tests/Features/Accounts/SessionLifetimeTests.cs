using System.Globalization;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>
/// Sessions slide (10 h) but end 12 h after the sign-in whatever happens (security issue, item 8):
/// a stolen cookie kept warm with a request every few hours is not good for ever.
/// </summary>
public abstract class SessionLifetimeTests(TaizhangApp app)
{
    internal static void Configure(IWebHostBuilder builder)
    {
        // The production defaults, not TaizhangApp's five years.
        builder.UseSetting("Accounts:SessionHours", "10");
        builder.UseSetting("Accounts:AbsoluteSessionHours", "12");
    }

    [Fact]
    public async Task ASessionKeptActive_SlidesButEnds12HoursAfterSignIn()
    {
        var client = app.ClientAs("十二小时-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/v1/cases?pageSize=1"));

        app.Clock.Advance(TimeSpan.FromHours(4));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/v1/cases?pageSize=1"));
        app.Clock.Advance(TimeSpan.FromHours(4));
        using (var renewed = await client.GetAsync("/api/v1/cases?pageSize=1"))
        {
            Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
            // Past half of its 10 hours the cookie was renewed: it would now last until hour 18.
            Assert.Contains(renewed.Headers.GetValues("Set-Cookie"), c => c.StartsWith("taizhang.auth=", StringComparison.Ordinal));
        }
        app.Clock.Advance(TimeSpan.FromHours(3.9));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/api/v1/cases?pageSize=1"));

        app.Clock.Advance(TimeSpan.FromHours(0.2));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(client, "/api/v1/cases?pageSize=1"));
        using var page = await client.GetAsync("/board");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery);

        // Signing in again starts a new 12 hours.
        var again = app.ClientAs("十二小时-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(again, "/api/v1/cases?pageSize=1"));
    }

    [Fact]
    public async Task ACookieWithoutTheSignInTime_IsRefused()
    {
        var userName = await app.EnsureUserAsync("旧cookie-" + Guid.NewGuid().ToString("N")[..8]);
        var now = app.Clock.GetUtcNow();
        // A cookie as the app issued it before the sign-in time was recorded, and the same cookie with it.
        var old = await CookieAsync(userName, now, signedInAt: null);
        var current = await CookieAsync(userName, now, signedInAt: now);

        var raw = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, await SendWithCookieAsync(raw, old));
        Assert.Equal(HttpStatusCode.OK, await SendWithCookieAsync(raw, current));
        // An old sign-in time in an otherwise valid cookie is refused too.
        Assert.Equal(HttpStatusCode.Unauthorized, await SendWithCookieAsync(raw, await CookieAsync(userName, now, signedInAt: now.AddHours(-12))));
    }

    private async Task<string> CookieAsync(string userName, DateTimeOffset now, DateTimeOffset? signedInAt)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
        var principal = await signIn.CreateUserPrincipalAsync((await users.FindByNameAsync(userName))!);
        if (signedInAt is { } at)
        {
            ((ClaimsIdentity)principal.Identity!).AddClaim(
                new Claim(SignInThrottle.SignedInAtClaim, at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }
        var options = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var ticket = new AuthenticationTicket(principal,
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(10) }, IdentityConstants.ApplicationScheme);
        return "taizhang.auth=" + options.TicketDataFormat.Protect(ticket);
    }

    private static async Task<HttpStatusCode> SendWithCookieAsync(HttpClient client, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases?pageSize=1");
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return response.StatusCode;
    }
}

public sealed class SessionLifetimeSqliteApp : SqliteApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        SessionLifetimeTests.Configure(builder);
    }
}

public sealed class SessionLifetimePostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        SessionLifetimeTests.Configure(builder);
    }
}

public sealed class SessionLifetimeTests_Sqlite(SessionLifetimeSqliteApp app) : SessionLifetimeTests(app), IClassFixture<SessionLifetimeSqliteApp>;

public sealed class SessionLifetimeTests_Postgres(SessionLifetimePostgresApp app) : SessionLifetimeTests(app), IClassFixture<SessionLifetimePostgresApp>;
