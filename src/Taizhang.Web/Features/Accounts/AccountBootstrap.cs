using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Web.Data;

namespace Taizhang.Web.Features.Accounts;

public sealed class BootstrapOptions
{
    public const string Section = "Bootstrap";

    /// <summary>The first administrator's password; generated and printed once when absent.</summary>
    public string? AdminPassword { get; set; }

    public string AdminUserName { get; set; } = "admin";
}

/// <summary>
/// First start: one administrator. With --demo: one user per role in the demo town. Passwords
/// come from configuration or are generated and printed once to the console (never logged).
/// </summary>
public static class AccountBootstrap
{
    public static async Task EnsureAdministratorAsync(IServiceProvider services, TextWriter console, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        if (await db.Users.AnyAsync(ct))
        {
            return;
        }
        var options = services.GetRequiredService<BootstrapOptions>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        // The administrator's post is at the top of the tree; before any org unit exists it gets one when created.
        var root = await db.OrgUnits.Where(u => u.ParentId == null).OrderBy(u => u.Id).Select(u => (long?)u.Id).FirstOrDefaultAsync(ct);
        var password = string.IsNullOrEmpty(options.AdminPassword) ? GeneratePassword() : options.AdminPassword;
        var admin = new AppUser
        {
            UserName = options.AdminUserName,
            DisplayName = "系统管理员",
            CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime,
            // Printed on a console or written in a configuration file: others may have read it.
            MustChangePassword = true,
        };
        if (root is { } rootId)
        {
            admin.Posts.Add(new UserPost { Role = Role.Administrator, OrgUnitId = rootId });
        }
        Check(await users.CreateAsync(admin, password), "Bootstrap:AdminPassword");
        if (string.IsNullOrEmpty(options.AdminPassword))
        {
            console.WriteLine($"Taizhang: created administrator '{admin.UserName}' with password: {password}");
            console.WriteLine("Taizhang: this password is shown only once; after signing in you set your own at /account.");
        }
    }

    /// <summary>The demo town's people, one per role.</summary>
    public static readonly (string UserName, string DisplayName, Role Role, string Unit)[] DemoUsers =
    [
        ("town", "镇办受理员 王芳", Role.TownStaff, "SCH"),
        ("cadre", "马家村村干部 马建国", Role.VillageCadre, "SCH-MJC"),
        ("agency", "三岔司法所 李调解", Role.AgencyHandler, "SCH-SFS"),
        ("operator", "接线员 张丽", Role.Operator, "SCH"),
        ("leader", "镇党委书记 徐明", Role.Leader, "SCH"),
        ("member", "议事会成员 连永平", Role.Member, "SCH"),
    ];

    public static async Task EnsureDemoUsersAsync(IServiceProvider services, string? configuredPassword, TextWriter console, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await db.Users.AnyAsync(u => u.UserName == DemoUsers[0].UserName, ct))
        {
            return;
        }
        var password = string.IsNullOrEmpty(configuredPassword) ? GeneratePassword() : configuredPassword;
        var units = await db.OrgUnits.ToDictionaryAsync(u => u.Code, u => u.Id, ct);
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        foreach (var (userName, displayName, role, unit) in DemoUsers)
        {
            var user = new AppUser { UserName = userName, DisplayName = displayName, CreatedAt = now };
            user.Posts.Add(new UserPost { Role = role, OrgUnitId = units[unit] });
            Check(await users.CreateAsync(user, password), "Demo:Password");
        }
        // The bootstrap administrator was created before the demo town existed: give it the county.
        var adminName = services.GetRequiredService<BootstrapOptions>().AdminUserName;
        var admins = await db.Users.Include(u => u.Posts).Where(u => u.UserName == adminName && !u.Posts.Any()).ToListAsync(ct);
        var county = await db.OrgUnits.Where(u => u.ParentId == null).OrderBy(u => u.Id).Select(u => u.Id).FirstAsync(ct);
        foreach (var admin in admins)
        {
            admin.Posts.Add(new UserPost { Role = Role.Administrator, OrgUnitId = county });
        }
        await db.SaveChangesAsync(ct);
        if (string.IsNullOrEmpty(configuredPassword))
        {
            console.WriteLine($"Taizhang: demo users {string.Join(", ", DemoUsers.Select(u => u.UserName))} have the password: {password}");
        }
    }

    /// <summary>Four groups of four from an alphabet without look-alikes: long, and easy to type.</summary>
    public static string GeneratePassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var chars = new char[19];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = i % 5 == 4 ? '-' : alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }
        return new string(chars);
    }

    /// <summary>A configured password goes through the same checks as any other (length, common passwords): say which setting to fix.</summary>
    private static void Check(IdentityResult result, string setting)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not create a user with the password of {setting}: "
                + string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
