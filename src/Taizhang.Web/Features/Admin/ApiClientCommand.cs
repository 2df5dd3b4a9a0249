using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Resources;

namespace Taizhang.Web.Features.Admin;

/// <summary>
/// `dotnet run --project src/Taizhang.Web -- api-client create --name 12345热线 --unit SCH --channels Hotline,WeChat [--expires-at 2027-06-30]`
/// `… api-client list` · `… api-client revoke --name 12345热线`. For the server's operator, before
/// anyone signs in; the API does the same for administrators.
/// </summary>
public static class ApiClientCommand
{
    private static readonly Taizhang.Domain.Cases.Actor CliActor = new(Taizhang.Domain.Cases.ActorKind.System, "cli", "server command line");

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "api-client";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        var verb = args.Length > 1 ? args[1] : "help";
        string? Option(string name)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        switch (verb)
        {
            case "create":
            {
                var units = await scope.ServiceProvider.GetRequiredService<OrgDirectory>().GetAsync();
                var errors = new FieldErrors();
                var unitCode = Option("unit");
                var unit = unitCode is not null && units.UnitsByCode.TryGetValue(unitCode, out var u) ? u : null;
                if (unit is null)
                {
                    output.WriteLine($"error: --unit: no org unit has the code '{unitCode}'");
                    return 2;
                }
                try
                {
                    db.Record(CliActor, clock.GetUtcNow().UtcDateTime, "api-client.create", "api-client:" + Option("name"),
                        $"unit={unit.Code}; channels={Option("channels")}; expires={Option("expires-at") ?? "never"}", unit.Id);
                    var (client, token) = await ManageApiClients.CreateCoreAsync(db, errors, new Texts(), Option("name"), unit,
                        Option("channels")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                        Option("expires-at"), scope.ServiceProvider.GetRequiredService<Taizhang.Domain.Calendar.DuePolicy>(),
                        "cli", clock.GetUtcNow().UtcDateTime, CancellationToken.None);
                    output.WriteLine($"created API client {client.Id} '{client.Name}' at {unit.Code} for {client.AllowedChannels}"
                        + (client.ExpiresAt is { } expires ? $", expires {expires:u}" : string.Empty));
                    output.WriteLine($"token (shown only now): {token}");
                    return 0;
                }
                catch (RequestValidationException e)
                {
                    foreach (var (field, messages) in e.Errors)
                    {
                        output.WriteLine($"error: --{(field == "expiresAt" ? "expires-at" : field)}: {string.Join(" ", messages)}");
                    }
                    return 2;
                }
            }
            case "list":
                var now = clock.GetUtcNow().UtcDateTime;
                foreach (var c in await db.ApiClients.AsNoTracking().OrderBy(c => c.Name).ToListAsync())
                {
                    var state = c.RevokedAt is { } revoked ? "revoked " + revoked.ToString("u")
                        : c.ExpiresAt is { } expired && expired <= now ? "expired " + expired.ToString("u")
                        : c.ExpiresAt is { } expires ? "active until " + expires.ToString("u")
                        : "active";
                    var used = c.LastUsedAt is { } last ? "last used " + last.ToString("u") : "never used";
                    output.WriteLine($"{c.Id}\t{c.Name}\t{c.AllowedChannels}\t{state}\t{used}");
                }
                return 0;
            case "revoke":
            {
                var name = Option("name");
                var client = await db.ApiClients.FirstOrDefaultAsync(c => c.Name == name);
                if (client is null)
                {
                    output.WriteLine($"error: --name: no API client is called '{name}'");
                    return 2;
                }
                client.RevokedAt ??= clock.GetUtcNow().UtcDateTime;
                db.Record(CliActor, clock.GetUtcNow().UtcDateTime, "api-client.revoke", "api-client:" + client.Id, client.Name, client.OrgUnitId);
                await db.SaveChangesAsync();
                // Servers in other processes stop accepting the token within ApiClientCache.Lifetime.
                services.GetService<ApiClientCache>()?.Invalidate();
                output.WriteLine($"revoked API client {client.Id} '{client.Name}'");
                return 0;
            }
            default:
                output.WriteLine("usage: api-client create --name NAME --unit ORG-CODE --channels Hotline[,WeChat…] [--expires-at yyyy-MM-dd] | list | revoke --name NAME");
                return verb == "help" ? 0 : 2;
        }
    }
}
