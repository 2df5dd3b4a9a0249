using Taizhang.Web.Demo;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Features.Admin;
using Taizhang.Web.Features.Calendar;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web;

/// <summary>
/// What happens between building the app and serving: the server's command line — <c>backup</c>,
/// <c>restore</c>, <c>verify</c>, <c>verify-snapshot</c>, <c>recount-figures</c>, <c>api-client …</c>, <c>user reset-password|unlock …</c> run with
/// the server's configuration and exit — and, to serve, the database migrated and filled with what a first start needs. The one place
/// the commands are dispatched from; Program.cs only calls it.
/// </summary>
public static class AppStart
{
    /// <summary>
    /// The arguments configuration may read: "--demo" is a flag, not a key=value pair, and a
    /// command's operands (a backup file's path) are not settings.
    /// </summary>
    public static string[] ConfigurationArguments(string[] args) =>
        BackupCommand.ConfigurationArguments(args).Where(a => a != DemoFlag).ToArray();

    public const string DemoFlag = "--demo";

    /// <summary>
    /// The host's options: the content root (appsettings.json, and with it the logging levels that
    /// keep request lines out of the log) is next to the app when the working directory has no
    /// settings of its own — a server started from another folder otherwise runs on defaults.
    /// </summary>
    public static WebApplicationOptions HostOptions(string[] args) => new()
    {
        Args = ConfigurationArguments(args),
        ContentRootPath = File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json")) ? null : AppContext.BaseDirectory,
    };

    /// <summary>The exit code of the command the arguments name; null when they name none (serve).</summary>
    public static async Task<int?> RunCommandAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        // Before migrating: a backup copies the database as it is, a restore replaces it (and migrates afterwards).
        if (BackupCommand.IsCommand(args))
        {
            return await BackupCommand.RunAsync(services, args, output);
        }
        if (!ApiClientCommand.IsCommand(args) && !VerifyEventChain.IsCommand(args) && !UserCommand.IsCommand(args)
            && !Features.Reports.Snapshots.VerifySnapshot.IsCommand(args) && !Features.Reports.RecountFiguresCommand.IsCommand(args))
        {
            return null;
        }
        await using (await ClusterNode.StartupLockAsync(services))
        {
            await MigrateAsync(services);
        }
        return ApiClientCommand.IsCommand(args) ? await ApiClientCommand.RunAsync(services, args, output)
            : UserCommand.IsCommand(args) ? await UserCommand.RunAsync(services, args, output)
            : Features.Reports.Snapshots.VerifySnapshot.IsCommand(args) ? await Features.Reports.Snapshots.VerifySnapshot.RunCommandAsync(services, args, output)
            : Features.Reports.RecountFiguresCommand.IsCommand(args) ? await Features.Reports.RecountFiguresCommand.RunCommandAsync(services, output)
            : await VerifyEventChain.RunCommandAsync(services, args, output);
    }

    /// <summary>Before serving: the schema, the calendar, the demo (when asked), default categories and the first administrator.</summary>
    public static async Task PrepareAsync(IServiceProvider services, IConfiguration configuration, TextWriter console)
    {
        // Nodes started together on one PostgreSQL database migrate and seed one after the other.
        await using var startup = await ClusterNode.StartupLockAsync(services);
        await MigrateAsync(services);
        // Registrations acknowledged from the intake journal but not yet in the ledger (a crash) are entered before anything reads it.
        await services.GetRequiredService<Features.Cases.IntakeWriter>().OpenJournalAsync(CancellationToken.None);
        await DemoSeeder.SeedIfRequestedAsync(services);
        await DemoSeeder.EnsureDefaultCategoriesAsync(services);
        await AccountBootstrap.EnsureAdministratorAsync(services, console);
        // The rating-code key exists before the first registration needs it (not created on a write path).
        await services.GetRequiredService<Features.Residents.RatingCodes>().KeyAsync(CancellationToken.None);
        if (services.GetRequiredService<DemoOptions>().Seed)
        {
            await AccountBootstrap.EnsureDemoUsersAsync(services, configuration["Demo:Password"], console);
            await DemoRating.PrepareAsync(services, console);
        }
        GetCalendar.WarnIfIncomplete(services);
    }

    private static async Task MigrateAsync(IServiceProvider services)
    {
        // Journal records hold rows in the shape of the version that wrote them: an upgrade that changes the schema waits
        // until they are in the ledger (the previous version enters them at its start and at a graceful stop).
        if (await services.GetRequiredService<Features.Cases.IntakeWriter>().HasUnappliedJournalAsync(CancellationToken.None)
            && await DatabaseSetup.HasPendingMigrationsAsync(services))
        {
            throw new InvalidOperationException(
                "The intake journal holds registrations not yet entered into the ledger, and this version changes the database. "
                + "Start the previous version once (it enters them before serving), stop it, then start this one.");
        }
        await DatabaseSetup.MigrateAsync(services);
        await services.GetRequiredService<DuePolicySource>().InitializeAsync(services.GetRequiredService<TimeProvider>());
    }
}
