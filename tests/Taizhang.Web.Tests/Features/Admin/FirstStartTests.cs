using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Admin;

/// <summary>
/// A town office installs Taizhang without the demo: the printed administrator signs in, builds
/// the organisation, creates a clerk, and the clerk registers the first case.
/// </summary>
public abstract class FirstStartTests(TaizhangApp app)
{
    [Fact]
    public async Task EmptyInstallation_AdministratorBuildsTheTown_ClerkRegistersTheFirstCase()
    {
        var admin = app.AnonymousClient();
        using var signIn = await admin.PostAsJsonAsync("/api/v1/session", new { userName = "admin", password = TaizhangApp.Password });
        var session = await signIn.ReadJsonAsync();
        Assert.True(signIn.StatusCode == HttpStatusCode.OK, session.ToJsonString());
        Assert.Empty(session["posts"]!.AsArray());
        admin.DefaultRequestHeaders.Add("X-XSRF-TOKEN", session["antiforgeryToken"]!.GetValue<string>());

        // The bootstrap password is in a configuration file (or was printed): first the administrator's own.
        Assert.True(session["mustChangePassword"]!.GetValue<bool>());
        using var refused = await admin.GetAsync("/api/v1/categories");
        await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "password-change-required");
        using var changed = await admin.PostAsJsonAsync("/api/v1/account/password", new { currentPassword = TaizhangApp.Password, newPassword = "hekou admin own words" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var categories = await admin.GetFromJsonAsync<JsonArray>("/api/v1/categories");
        Assert.Contains(categories!, c => c!["code"]!.GetValue<string>() == "dispute-family");

        using var town = await admin.PostAsJsonAsync("/api/v1/admin/org-units", new { code = "HK", name = "河口镇", kind = "Town" });
        Assert.Equal(HttpStatusCode.Created, town.StatusCode);
        var after = await (await admin.GetAsync("/api/v1/session")).ReadJsonAsync();
        Assert.Equal("Administrator", after["posts"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("HK", after["posts"]![0]!["unit"]!["code"]!.GetValue<string>());

        // A second root is beyond the administrator's area.
        using var secondRoot = await admin.PostAsJsonAsync("/api/v1/admin/org-units", new { code = "XX", name = "别的镇", kind = "Town" });
        await secondRoot.AssertProblemAsync(HttpStatusCode.BadRequest, "validation");

        using var village = await admin.PostAsJsonAsync("/api/v1/admin/org-units", new { code = "HK-DC", name = "东村", kind = "Village", parent = "HK" });
        Assert.Equal(HttpStatusCode.Created, village.StatusCode);
        using var clerk = await admin.PostAsJsonAsync("/api/v1/admin/users", new
        {
            userName = "clerk", displayName = "河口镇受理员", password = "hekou-clerk-2026",
            posts = new[] { new { role = "TownStaff", unit = "HK" } },
        });
        Assert.Equal(HttpStatusCode.Created, clerk.StatusCode);

        // The administrator set the clerk's first password: the clerk sets their own.
        var clerkClient = await app.SignInClientAsync("clerk", "hekou-clerk-2026");
        var registered = await clerkClient.RegisterAsync(CaseApi.NewCase(orgUnit: "HK-DC", category: "water"));
        Assert.Equal("Registered", registered["status"]!.GetValue<string>());
        var ledger = await (await clerkClient.GetAsync("/api/v1/cases")).ReadJsonAsync();
        Assert.Equal(1, ledger["total"]!.GetValue<int>());
    }
}

public sealed class FirstStartTests_Sqlite(EmptySqliteApp app) : FirstStartTests(app), IClassFixture<EmptySqliteApp>;

public sealed class FirstStartTests_Postgres(EmptyPostgresApp app) : FirstStartTests(app), IClassFixture<EmptyPostgresApp>;
