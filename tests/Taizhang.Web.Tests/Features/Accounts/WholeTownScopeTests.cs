using System.Net;
using System.Net.Http.Json;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>
/// Town and county posts are matched to cases by the case's town rather than by a list of every
/// unit under them: they must still see exactly the cases of their area, at every level (the
/// town itself, its villages, their groups), and nothing of another town.
/// </summary>
public abstract class WholeTownScopeTests(TaizhangApp app)
{
    [Fact]
    public async Task TownAndCountyPosts_SeeExactlyTheirAreasCases_AtEveryLevel()
    {
        var marker = "整镇范围" + Guid.NewGuid().ToString("N")[..8];
        var town = app.ClientAs("town");
        var atTown = await town.RegisterIdAsync(CaseApi.NewCase(title: marker + " 镇上", orgUnit: "SCH"));
        var atVillage = await town.RegisterIdAsync(CaseApi.NewCase(title: marker + " 村里", orgUnit: "SCH-MJC"));
        var atGroup = await town.RegisterIdAsync(CaseApi.NewCase(title: marker + " 组里", orgUnit: "SCH-MJC-1"));

        var (other, otherVillage) = await SecondTownClerkAsync();
        var elsewhere = await other.RegisterIdAsync(CaseApi.NewCase(title: marker + " 外镇", orgUnit: otherVillage));

        var q = "q=" + Uri.EscapeDataString(marker) + "&pageSize=200";
        var ofTown = await town.ListAsync(q);
        Assert.Equal(new[] { atTown, atVillage, atGroup }.Order(), ofTown.ItemIds().Order());
        Assert.Equal(3, ofTown.Total());

        var ofLeader = await app.ClientAs("leader").ListAsync(q);
        Assert.Equal(new[] { atTown, atVillage, atGroup }.Order(), ofLeader.ItemIds().Order());

        var ofOther = await other.ListAsync(q);
        Assert.Equal(new[] { elsewhere }, ofOther.ItemIds());
        Assert.Equal(1, ofOther.Total());

        var ofCounty = await app.ClientAs("admin-county").ListAsync(q);
        Assert.Equal(new[] { atTown, atVillage, atGroup, elsewhere }.Order(), ofCounty.ItemIds().Order());
        Assert.Equal(4, ofCounty.Total());

        // A village post is still matched unit by unit: its village and groups, not the town's own case.
        var ofCadre = await app.ClientAs("cadre").ListAsync(q);
        Assert.Equal(new[] { atVillage, atGroup }.Order(), ofCadre.ItemIds().Order());

        // Filters narrow within the scope, never beyond it.
        var byUnit = await town.ListAsync(q + "&orgUnit=" + otherVillage);
        Assert.Equal(0, byUnit.Total());
    }

    private async Task<(HttpClient Client, string Village)> SecondTownClerkAsync()
    {
        var county = app.ClientAs("admin-county");
        var suffix = Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var town = "W" + suffix;
        var village = town + "-V";
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = town, name = "金山镇", kind = "Town", parent = "ZX" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/org-units", new { code = village, name = "南村", kind = "Village", parent = town })).StatusCode);
        var userName = "clerk-" + suffix.ToLowerInvariant();
        Assert.Equal(HttpStatusCode.Created, (await county.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName, displayName = "金山镇受理员", password = TaizhangApp.Password,
            posts = new[] { new { role = "TownStaff", unit = town } },
        })).StatusCode);
        // Made by an administrator: the clerk sets their own password first.
        var client = await app.SignInClientAsync(userName, TaizhangApp.Password);
        return (client, village);
    }
}

public sealed class WholeTownScopeTests_Sqlite(SqliteApp app) : WholeTownScopeTests(app), IClassFixture<SqliteApp>;

public sealed class WholeTownScopeTests_Postgres(PostgresApp app) : WholeTownScopeTests(app), IClassFixture<PostgresApp>;
