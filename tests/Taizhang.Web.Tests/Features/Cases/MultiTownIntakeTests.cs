using System.Net;
using System.Net.Http.Json;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Cases;

/// <summary>
/// Two towns on one server: Idempotency-Keys are unique per town, external references per
/// integration, and neither town learns anything about the other's case.
/// </summary>
public abstract class MultiTownIntakeTests(TaizhangApp app)
{
    [Fact]
    public async Task SameExternalRefAndKey_InTwoTowns_AreTwoCases_EachReplaysItsOwn()
    {
        var secondTown = await SecondTownClerkAsync();
        var sch = app.ClientAs("town");
        var (schHotline, _) = await app.IntegrationAsync("SCH");
        var (otherHotline, _) = await app.IntegrationAsync(secondTown.Town);
        var reference = "12345-" + Guid.NewGuid().ToString("N")[..8];
        var key = Guid.NewGuid().ToString();

        // The same Idempotency-Key in two towns: two cases.
        var a = await sch.RegisterAsync(CaseApi.NewCase(title: "两镇交界道路损坏", channel: "Hotline", orgUnit: "SCH-MJC"), key);
        var b = await secondTown.Client.RegisterAsync(CaseApi.NewCase(title: "两镇交界道路损坏", channel: "Hotline", orgUnit: secondTown.Village), key);
        Assert.NotEqual(a["id"]!.GetValue<long>(), b["id"]!.GetValue<long>());
        var aAgain = await sch.RegisterAsync(CaseApi.NewCase(title: "两镇交界道路损坏", channel: "Hotline", orgUnit: "SCH-MJC"), key);
        Assert.Equal(a["id"]!.GetValue<long>(), aAgain["id"]!.GetValue<long>());

        // The same ticket number from each town's own hotline system: two cases, each replays its own.
        var c = await schHotline.RegisterAsync(CaseApi.NewCase(title: "两镇交界桥梁裂缝", channel: "Hotline", externalRef: reference, orgUnit: "SCH-MJC"));
        var d = await otherHotline.RegisterAsync(CaseApi.NewCase(title: "两镇交界桥梁裂缝", channel: "Hotline", externalRef: reference, orgUnit: secondTown.Village));
        Assert.NotEqual(c["id"]!.GetValue<long>(), d["id"]!.GetValue<long>());
        var dAgain = await otherHotline.RegisterAsync(CaseApi.NewCase(title: "两镇交界桥梁裂缝", channel: "Hotline", externalRef: reference, orgUnit: secondTown.Village));
        Assert.Equal(d["id"]!.GetValue<long>(), dAgain["id"]!.GetValue<long>());

        using var other = await sch.GetAsync($"/api/v1/cases/{b["id"]!.GetValue<long>()}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        using var otherRef = await sch.GetAsync($"/api/v1/cases/{d["id"]!.GetValue<long>()}");
        Assert.Equal(HttpStatusCode.NotFound, otherRef.StatusCode);
    }

    private async Task<(HttpClient Client, string Town, string Village)> SecondTownClerkAsync()
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
        // Made by an administrator: the clerk sets their own password first.
        var client = await app.SignInClientAsync(userName, TaizhangApp.Password);
        return (client, town, village);
    }
}

public sealed class MultiTownIntakeTests_Sqlite(SqliteApp app) : MultiTownIntakeTests(app), IClassFixture<SqliteApp>;

public sealed class MultiTownIntakeTests_Postgres(PostgresApp app) : MultiTownIntakeTests(app), IClassFixture<PostgresApp>;
