using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>
/// Authorization fails safe: every endpoint the app maps — read from its own endpoint data source,
/// so a new one is checked without touching this test — says who may call it (anonymous by name,
/// or a named policy), and administration sits behind the administrator policy as a whole.
/// </summary>
public abstract class AuthorizationCoverageTests(TaizhangApp app)
{
    private IReadOnlyList<RouteEndpoint> Endpoints =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    private static string Route(RouteEndpoint e) => "/" + (e.RoutePattern.RawText ?? "").Trim('/');

    private static bool Anonymous(RouteEndpoint e) => e.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    private static IEnumerable<string> PoliciesOf(RouteEndpoint e) =>
        e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>();

    [Fact]
    public void EveryEndpoint_MakesAnExplicitDecision()
    {
        Assert.NotEmpty(Endpoints);
        var undecided = Endpoints
            .Where(e => !Anonymous(e) && !PoliciesOf(e).Any() && e.Metadata.GetMetadata<AuthorizationPolicy>() is null)
            .Select(Route).Distinct().ToList();
        Assert.True(undecided.Count == 0, "no authorization decision: " + string.Join(", ", undecided));
    }

    [Fact]
    public void Administration_IsBehindTheAdministratorPolicy_AndNothingThereIsAnonymous()
    {
        var admin = Endpoints.Where(e => Route(e).StartsWith("/api/v1/admin", StringComparison.Ordinal)).ToList();
        Assert.True(admin.Count >= 10, $"only {admin.Count} administration endpoints found");
        Assert.All(admin, e =>
        {
            Assert.False(Anonymous(e), Route(e));
            Assert.Contains(Policies.Administrator, PoliciesOf(e));
        });
    }

    [Fact]
    public void OnlyTheseAreAnonymous()
    {
        var anonymous = Endpoints.Where(Anonymous).Select(Route).Distinct().Order().ToList();
        Assert.Equal(["/api/v1/public/disclosures/{id:long}/objections", "/api/v1/public/disclosures/{unitCode}", "/api/v1/public/reports", "/api/v1/public/reports/challenge", "/api/v1/session", "/api/v1/track/{code}", "/api/v1/track/{code}/rating",
            "/assets/{name}", "/culture", "/favicon.ico",
            "/open311/v2/{**rest}", "/open311/v2/discovery.{format}", "/open311/v2/requests.{format}",
            "/open311/v2/requests/{service_request_id}.{format}", "/open311/v2/services.{format}", "/open311/v2/services/{service_code}.{format}",
            "/open311/v2/tokens/{token}.{format}", "/public/{unitCode}", "/report", "/signin", "/track/{code?}",
            // Authenticated by its signature over WeChat:Token (WeChatCallback), not by an account.
            "/wechat/callback"], anonymous);
    }

    [Theory]
    [InlineData("town")]
    [InlineData("leader")]
    [InlineData("operator")]
    public async Task SomeoneWithoutAnAdministratorPost_Is403OnEveryAdministrationRead(string who)
    {
        var client = app.SharedClientAs(who);
        foreach (var path in new[] { "/api/v1/admin/users", "/api/v1/admin/api-clients", "/api/v1/admin/audit", "/api/v1/admin/verify" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{who} {path}: {response.StatusCode}");
        }
        using var anonymous = await app.AnonymousClient().GetAsync("/api/v1/admin/users");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var admin = await app.SharedClientAs("admin-sch").GetAsync("/api/v1/admin/users");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
    }
}

public sealed class AuthorizationCoverageTests_Sqlite(SqliteApp app) : AuthorizationCoverageTests(app), IClassFixture<SqliteApp>;

public sealed class AuthorizationCoverageTests_Postgres(PostgresApp app) : AuthorizationCoverageTests(app), IClassFixture<PostgresApp>;
