using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Features.Admin;

/// <summary>
/// The server operator's recovery commands, `user reset-password` and `user unlock`, run the way
/// the server runs them (AppStart's dispatch, the app's configuration and database).
/// </summary>
public abstract partial class UserCommandTests(TaizhangApp app)
{
    [Fact]
    public async Task ResetPassword_PrintsANewPasswordOnce_EndsSessions_LiftsThrottling_AndMustBeChanged()
    {
        var userName = await app.EnsureUserAsync("忘了密码-" + Guid.NewGuid().ToString("N")[..6]);
        var (client, _) = await app.SignInAsync(userName, TaizhangApp.Password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/cases")).StatusCode);
        await ThrottleAsync(userName);

        var output = new StringWriter();
        Assert.Equal(0, await AppStart.RunCommandAsync(app.Services, ["user", "reset-password", "--name", userName], output));

        var password = NewPassword().Match(output.ToString()).Groups[1].Value;
        Assert.Matches("^[a-z2-9]{4}(-[a-z2-9]{4}){3}$", password);
        Assert.Contains("/account", output.ToString());
        // The session signed in with the old password has ended; the old password is refused.
        using (var ended = await client.GetAsync("/api/v1/cases"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, ended.StatusCode);
        }
        using (var old = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = TaizhangApp.Password }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        }
        // The new one works at once (the throttling is lifted), and must be changed first.
        using (var fresh = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password }))
        {
            var body = await fresh.ReadJsonAsync();
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.True(body["mustChangePassword"]!.GetValue<bool>());
        }
        var (after, _) = await app.SignInAsync(userName, password);
        Assert.Equal(HttpStatusCode.OK, (await after.GetAsync("/api/v1/cases")).StatusCode);

        var audit = await (await app.SharedClientAs("admin-county").GetAsync("/api/v1/admin/audit?take=200")).Content.ReadAsStringAsync();
        Assert.Matches("\"actorId\":\"cli\",\"actorName\":\"server command line\",\"action\":\"user.password-reset\",\"target\":\"user:\\d+\",\"details\":\"generated\"", audit);
        Assert.DoesNotContain(password, audit);
        // The audit page finds it by the command line's id, and says who in the reader's language.
        var (_, page) = await app.SharedClientAs("admin-county").GetHtmlAsync("/admin/audit?actor=cli&action=user.password-reset");
        Assert.Contains(">服务器命令行 <span class=\"code muted\">cli</span></td>", page);
    }

    [Fact]
    public async Task Unlock_LiftsTheThrottling_SoTheRightPasswordWorksAgain()
    {
        var userName = await app.EnsureUserAsync("被限制-" + Guid.NewGuid().ToString("N")[..6]);
        await ThrottleAsync(userName);
        using (var refused = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = TaizhangApp.Password }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var output = new StringWriter();
        Assert.Equal(0, await AppStart.RunCommandAsync(app.Services, ["user", "unlock", "--name", userName], output));
        Assert.Contains($"lifted the sign-in throttling of '{userName}' (5 recent failed sign-ins forgotten)", output.ToString());

        using var signIn = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = TaizhangApp.Password });
        var session = await signIn.ReadJsonAsync();
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        // Unlocking changes no password: nothing to change.
        Assert.False(session["mustChangePassword"]!.GetValue<bool>());
        var audit = await (await app.SharedClientAs("admin-county").GetAsync("/api/v1/admin/audit?take=200")).Content.ReadAsStringAsync();
        Assert.Matches("\"actorName\":\"server command line\",\"action\":\"user.unlock\"", audit);
    }

    [Theory]
    [InlineData("reset-password")]
    [InlineData("unlock")]
    public async Task AnUnknownName_SaysSo_AndExitsNonZero_ChangingNothing(string verb)
    {
        var events = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.AdminEvents));
        var output = new StringWriter();
        Assert.Equal(2, await AppStart.RunCommandAsync(app.Services, ["user", verb, "--name", "nobody-" + verb], output));
        Assert.Contains($"error: --name: no user is called 'nobody-{verb}'", output.ToString());

        var missing = new StringWriter();
        Assert.Equal(2, await AppStart.RunCommandAsync(app.Services, ["user", verb], missing));
        Assert.Contains("usage: user reset-password --name", missing.ToString());
        Assert.Equal(events, await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.AdminEvents)));
    }

    [Fact]
    public async Task AnUnknownVerb_PrintsTheUsage_AndExitsNonZero()
    {
        var output = new StringWriter();
        Assert.Equal(2, await AppStart.RunCommandAsync(app.Services, ["user", "delete", "--name", "admin"], output));
        Assert.StartsWith("usage: user reset-password --name USER-NAME | unlock --name USER-NAME", output.ToString());
    }

    /// <summary>Five wrong passwords from the tests' one address: the account is refused from there.</summary>
    private async Task ThrottleAsync(string userName)
    {
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await app.AnonymousClient().PostAsJsonAsync("/api/v1/session", new { userName, password = "wrong guess " + i });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
    }

    [GeneratedRegex(@"new password for '[^']+' \(shown only now\): (\S+)")]
    private static partial Regex NewPassword();
}

public sealed class UserCommandTests_Sqlite(SqliteApp app) : UserCommandTests(app), IClassFixture<SqliteApp>;

public sealed class UserCommandTests_Postgres(PostgresApp app) : UserCommandTests(app), IClassFixture<PostgresApp>;
