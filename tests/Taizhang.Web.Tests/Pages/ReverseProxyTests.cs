using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>
/// Behind a TLS-terminating proxy listed in ReverseProxy:KnownProxies the session cookie is
/// Secure and HSTS is sent; the same forwarded header from anyone else is ignored.
/// </summary>
public sealed class ReverseProxyTests(ReverseProxyTests.BehindProxyApp proxied, SqliteApp direct)
    : IClassFixture<ReverseProxyTests.BehindProxyApp>, IClassFixture<SqliteApp>
{
    private const string Proxy = "10.9.8.7";

    /// <summary>Every request arrives from the proxy's address, which the configuration trusts.</summary>
    public sealed class BehindProxyApp : SqliteApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ReverseProxy:KnownProxies:0", Proxy);
            builder.ConfigureServices(s => s.AddTransient<IStartupFilter, FromProxy>());
        }

        private sealed class FromProxy : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((http, nextMiddleware) =>
                {
                    http.Connection.RemoteIpAddress = IPAddress.Parse(Proxy);
                    return nextMiddleware(http);
                });
                next(app);
            };
        }
    }

    [Fact]
    public async Task FromTheKnownProxy_OverHttps_TheCookieIsSecure_AndHstsIsSent()
    {
        using var response = await SignInAsync(proxied, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("taizhang.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=31536000", Assert.Single(response.Headers.GetValues("Strict-Transport-Security")));
    }

    [Fact]
    public async Task FromAnyoneElse_TheForwardedHeaderIsIgnored()
    {
        using var response = await SignInAsync(direct, forwardedProto: "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("taizhang.auth=", StringComparison.Ordinal));
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    private static async Task<HttpResponseMessage> SignInAsync(TaizhangApp app, string forwardedProto)
    {
        var userName = await app.EnsureUserAsync("town");
        var client = app.AnonymousClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/session")
        {
            Content = JsonContent.Create(new { userName, password = TaizhangApp.Password }),
        };
        request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        request.Headers.Add("X-Forwarded-For", "203.0.113.5");
        request.Headers.Host = "taizhang.example.cn";
        return await client.SendAsync(request);
    }
}
