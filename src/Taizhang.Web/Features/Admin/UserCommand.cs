using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// Recovery from the server's command line, with its configuration, for when nobody can sign in
/// as an administrator any more:
/// `dotnet Taizhang.Web.dll user reset-password --name admin` prints a new generated password once
/// (to be changed at the next sign-in; ends the account's sessions; lifts its sign-in throttling);
/// `… user unlock --name 王芳的用户名` lifts the sign-in throttling only. Both are recorded in the
/// audit trail with the actor "server command line". Whoever runs them can already read the
/// configuration and the database: they give nothing that access does not.
/// </summary>
public static class UserCommand
{
    private static readonly Domain.Cases.Actor CliActor = new(Domain.Cases.ActorKind.System, "cli", "server command line");

    public const string Usage = "usage: user reset-password --name USER-NAME | unlock --name USER-NAME";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "user";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        var verb = args.Length > 1 ? args[1] : "help";
        if (verb is not ("reset-password" or "unlock"))
        {
            output.WriteLine(Usage);
            return verb == "help" ? 0 : 2;
        }
        var at = Array.IndexOf(args, "--name");
        var name = at >= 0 && at + 1 < args.Length ? args[at + 1].Trim() : null;
        if (string.IsNullOrEmpty(name))
        {
            output.WriteLine("error: --name: give the user name of the account");
            output.WriteLine(Usage);
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var throttle = scope.ServiceProvider.GetRequiredService<SignInThrottle>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var user = await users.FindByNameAsync(name);
        if (user is null)
        {
            output.WriteLine($"error: --name: no user is called '{name}' (user names are listed at /admin/users and by GET /api/v1/admin/users)");
            return 2;
        }
        // The entry is filed under the account's area, so its town's administrators read it too.
        var units = await scope.ServiceProvider.GetRequiredService<OrgDirectory>().GetAsync(CancellationToken.None);
        var area = AdminAudit.AreaOf(units, await db.UserPosts.Where(p => p.UserId == user.Id).Select(p => p.OrgUnitId).ToListAsync());
        if (verb == "unlock")
        {
            var failures = (await throttle.StatesAsync(user.Id, CancellationToken.None)).GetValueOrDefault(user.Id)?.FailedSignIns ?? 0;
            db.Record(CliActor, now, "user.unlock", "user:" + user.Id, unit: area);
            await db.SaveChangesAsync();
            await throttle.LiftAsync(user.Id, CancellationToken.None);
            output.WriteLine($"lifted the sign-in throttling of '{user.UserName}' ({failures} recent failed sign-ins forgotten)");
        }
        else
        {
            var password = AccountBootstrap.GeneratePassword();
            try
            {
                await ManageUsers.ResetPasswordAsync(db, users, throttle, user, password, CliActor, now, "generated", new Texts(), CancellationToken.None, area);
            }
            catch (RequestValidationException e)
            {
                // A generated password passes the rules; should one ever not, say so rather than fail silently.
                output.WriteLine("error: " + string.Join(" ", e.Errors.SelectMany(x => x.Value)));
                return 1;
            }
            output.WriteLine($"new password for '{user.UserName}' (shown only now): {password}");
            output.WriteLine("it must be changed at the next sign-in (/account); the account's sessions have ended and its sign-in throttling is lifted");
        }
        if (user.IsDisabled)
        {
            output.WriteLine($"note: the account '{user.UserName}' is disabled and cannot sign in until an administrator enables it");
        }
        return 0;
    }
}
