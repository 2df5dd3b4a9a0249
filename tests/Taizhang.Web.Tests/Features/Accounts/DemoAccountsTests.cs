using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Accounts;

/// <summary>
/// The demo's people share one password on purpose (it is printed for whoever tries the demo), so
/// they are not made to change it; the first administrator is, in the demo too. A class of its own:
/// the demo users take the names the other tests' people have (town, cadre …).
/// </summary>
public abstract class DemoAccountsTests(TaizhangApp app)
{
    [Fact]
    public async Task DemoUsers_AreNotMadeToChangeTheirSharedPassword_TheFirstAdministratorIs()
    {
        await AccountBootstrap.EnsureDemoUsersAsync(app.Services, "Demo-Shared-Pass-2026", TextWriter.Null);

        var marks = await app.WithDbAsync(db => db.Users.ToDictionaryAsync(u => u.UserName!, u => u.MustChangePassword));
        Assert.All(AccountBootstrap.DemoUsers, d => Assert.False(marks[d.UserName], d.UserName));
        Assert.True(marks["admin"]);

        var town = app.AnonymousClient();
        using var signIn = await town.PostAsJsonAsync("/api/v1/session", new { userName = "town", password = "Demo-Shared-Pass-2026" });
        var session = await signIn.ReadJsonAsync();
        Assert.False(session["mustChangePassword"]!.GetValue<bool>());
        town.DefaultRequestHeaders.Add("X-XSRF-TOKEN", session["antiforgeryToken"]!.GetValue<string>());
        using var cases = await town.GetAsync("/api/v1/cases");
        Assert.Equal(HttpStatusCode.OK, cases.StatusCode);

        // The demo's administrator (the county's, after the demo) signs in and is sent to change it.
        using var admin = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName = "admin", password = TaizhangApp.Password });
        var adminSession = await admin.ReadJsonAsync();
        Assert.True(adminSession["mustChangePassword"]!.GetValue<bool>());
        Assert.Equal("ZX", adminSession["posts"]![0]!["unit"]!["code"]!.GetValue<string>());
    }
}

public sealed class DemoAccountsTests_Sqlite(SqliteApp app) : DemoAccountsTests(app), IClassFixture<SqliteApp>;

public sealed class DemoAccountsTests_Postgres(PostgresApp app) : DemoAccountsTests(app), IClassFixture<PostgresApp>;
