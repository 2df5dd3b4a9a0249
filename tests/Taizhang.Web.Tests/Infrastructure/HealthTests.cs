using System.Net;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>Liveness, readiness and the request id every answer carries.</summary>
public abstract class HealthTests(TaizhangApp app)
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Probes_AreHealthy(string path)
    {
        using var response = await app.ClientAs().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Probes_FromElsewhereWithoutAccount_AreRefused()
    {
        // The test server has no remote address: not loopback, so an account is needed.
        using var response = await app.AnonymousClient().GetAsync("/health/ready");
        // Outside /api the sign-in scheme answers with its redirect to the sign-in page.
        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Found, response.StatusCode.ToString());
    }

    [Fact]
    public async Task RequestId_CallersPlainIdIsEchoed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/nothing-here");
        request.Headers.Add("X-Request-Id", "lb-7f3a.42:1");
        using var response = await app.ClientAs().SendAsync(request);
        Assert.Equal("lb-7f3a.42:1", Assert.Single(response.Headers.GetValues("X-Request-Id")));
    }

    [Theory]
    [InlineData("bad id with spaces")]
    [InlineData("x\u00e9")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task RequestId_HostileIdIsReplaced(string given)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.TryAddWithoutValidation("X-Request-Id", given);
        using var response = await app.ClientAs().SendAsync(request);
        var id = Assert.Single(response.Headers.GetValues("X-Request-Id"));
        Assert.NotEqual(given, id);
        Assert.Equal(id, Taizhang.Web.Infrastructure.RequestIds.Sanitize(id));
    }
}

public sealed class HealthTests_Sqlite(SqliteApp app) : HealthTests(app), IClassFixture<SqliteApp>;

public sealed class HealthTests_Postgres(PostgresApp app) : HealthTests(app), IClassFixture<PostgresApp>;
