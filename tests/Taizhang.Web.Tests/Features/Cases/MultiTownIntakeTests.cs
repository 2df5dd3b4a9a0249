using System.Net;
using System.Net.Http.Json;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>
/// One platform ticket can go to two towns: external references and Idempotency-Keys are unique
/// per town, and neither town learns anything about the other's case.
/// </summary>
public abstract class MultiTownIntakeTests(TaizhangApp app)
{
    [Fact]
    public async Task SameExternalRefAndKey_InTwoTowns_AreTwoCases_EachReplaysItsOwn()
    {
        var secondTown = await SecondTownClerkAsync();
        var sch = app.ClientAs("town");
        var reference = "12345-" + Guid.NewGuid().ToString("N")[..8];
        var key = Guid.NewGuid().ToString();

        var a = await sch.RegisterAsync(CaseApi.NewCase(title: "两镇交界道路损坏", channel: "Hotline", externalRef: reference, orgUnit: "SCH-MJC"), key);
        var b = await secondTown.Client.RegisterAsync(CaseApi.NewCase(title: "两镇交界道路损坏", channel: "Hotline", externalRef: reference, orgUnit: secondTown.Village), key);
        Assert.NotEqual(a["id"]!.GetValue<long>(), b["id"]!.GetValue<long>());

        var aAgain = await sch.RegisterAsync(CaseApi.NewCase(title: "两镇交界道路损坏", channel: "Hotline", externalRef: reference, orgUnit: "SCH-MJC"), key);
        var bAgain = await secondTown.Client.RegisterAsync(CaseApi.NewCase(title: "两镇交界道路损坏", channel: "Hotline", externalRef: reference, orgUnit: secondTown.Village));
        Assert.Equal(a["id"]!.GetValue<long>(), aAgain["id"]!.GetValue<long>());
        Assert.Equal(b["id"]!.GetValue<long>(), bAgain["id"]!.GetValue<long>());

        using var other = await sch.GetAsync($"/api/v1/cases/{b["id"]!.GetValue<long>()}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    private async Task<(HttpClient Client, string Village)> SecondTownClerkAsync()
    {
        var county = app.ClientAs("admin-county");
        var suffix = Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var town = "T" + suffix;
        var village = town + "-V";
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = town, name = "河口镇", kind = "Town", parent = "ZX" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = village, name = "东村", kind = "Village", parent = town })).StatusCode);
        var userName = "clerk-" + suffix.ToLowerInvariant();
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName, displayName = "河口镇受理员", password = TaizhangApp.Password,
            posts = new[] { new { role = "TownStaff", unit = town } },
        })).StatusCode);
        var client = app.AnonymousClient();
        using var signIn = await client.PostAsJsonAsync("/api/v1/session", new { userName, password = TaizhangApp.Password });
        client.DefaultRequestHeaders.Add("X-XSRF-TOKEN", (await signIn.ReadJsonAsync())["antiforgeryToken"]!.GetValue<string>());
        return (client, village);
    }
}

public sealed class MultiTownIntakeTests_Sqlite(SqliteApp app) : MultiTownIntakeTests(app), IClassFixture<SqliteApp>;

public sealed class MultiTownIntakeTests_Postgres(PostgresApp app) : MultiTownIntakeTests(app), IClassFixture<PostgresApp>;
