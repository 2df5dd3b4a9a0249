using System.Net;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Pages;

/// <summary>Every answer, page or API, success or error, carries the protective headers.</summary>
public abstract class SecurityHeadersTests(TaizhangApp app)
{
    [Theory]
    [InlineData("/signin")]
    [InlineData("/cases")]
    [InlineData("/api/v1/cases")]
    [InlineData("/no-such-page")]
    public async Task Headers_AreSet(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("text/html");
        using var response = await app.SharedClientAs("town").SendAsync(request);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Assets_AreServedWithTheirTypes_AndCachedByHash()
    {
        var (_, html) = await app.SharedClientAs("town").GetHtmlAsync("/cases");
        var css = System.Text.RegularExpressions.Regex.Match(html, "href=\"(/assets/site.css\\?v=[0-9a-f]+)\"").Groups[1].Value;
        Assert.NotEmpty(css);

        using var response = await app.AnonymousClient().GetAsync(css);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        using var missing = await app.AnonymousClient().GetAsync("/assets/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

public sealed class SecurityHeadersTests_Sqlite(SqliteApp app) : SecurityHeadersTests(app), IClassFixture<SqliteApp>;

public sealed class SecurityHeadersTests_Postgres(PostgresApp app) : SecurityHeadersTests(app), IClassFixture<PostgresApp>;
