using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Taizhang.Domain.Organization;
using Taizhang.Web.Data;
using Taizhang.Web.Features.Accounts;

namespace Taizhang.Web.Infrastructure;

/// <summary>The <c>Cluster</c> section: several Taizhang nodes on one PostgreSQL database.</summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>This node's name in logs and in PostgreSQL's <c>application_name</c>; default: host name and process id.</summary>
    public string? NodeName { get; set; }

    /// <summary>How often each node reads the change stamps (and, on PostgreSQL, how long it waits for a notification in between).</summary>
    public double PollSeconds { get; set; } = 2;

    /// <summary>How often a node that does not run the background jobs tries to take them over.</summary>
    public double LeaderRetrySeconds { get; set; } = 3;

    public string ResolvedNodeName => string.IsNullOrWhiteSpace(NodeName) ? $"{Environment.MachineName}-{Environment.ProcessId}" : NodeName.Trim();

    public ClusterOptions Validated()
    {
        if (!(PollSeconds is > 0 and <= 300))
        {
            throw new InvalidOperationException($"{Section}:{nameof(PollSeconds)} must be more than 0 and at most 300.");
        }
        if (!(LeaderRetrySeconds is > 0 and <= 300))
        {
            throw new InvalidOperationException($"{Section}:{nameof(LeaderRetrySeconds)} must be more than 0 and at most 300.");
        }
        if (ResolvedNodeName.Length > 48)
        {
            throw new InvalidOperationException($"{Section}:{nameof(NodeName)} must be at most 48 characters.");
        }
        return this;
    }
}

/// <summary>
/// The areas whose settings a node keeps in memory, each with a change stamp: a row of <c>Settings</c>
/// (key <c>cluster:&lt;area&gt;</c>, a fresh random value at every change) written by
/// <see cref="ClusterStampInterceptor"/> in the same SaveChanges — so the same transaction — as the
/// change itself. A node that sees a stamp it has not seen reloads that area.
/// </summary>
/// <remarks>
/// Why rows of <c>Settings</c> and not a table of their own: it is one tiny shared table every node
/// already reads, it needs no migration, and the stamps are read by primary key (one indexed read of
/// three rows per poll). Why a random value rather than a counter: two administrators changing the same
/// area at once both write a value no node has seen; neither needs to read the other's.
/// What is NOT stamped, because it is not cached: accounts, posts, sessions and the cookie's security
/// stamp (read from the database on every request, <see cref="CurrentUser.LoadAccountAsync"/>), sign-in
/// throttling (<c>SignInFailures</c> rows), notification templates (read at every sending round).
/// </remarks>
public static class ClusterStamps
{
    public const string Prefix = "cluster:";

    /// <summary>Units and categories (<see cref="OrgDirectory"/>, and the public form's choices built from it).</summary>
    public const string Organisation = "org";

    /// <summary>The holiday calendar and the service levels (<see cref="DuePolicySource"/>).</summary>
    public const string DuePolicy = "due-policy";

    /// <summary>API clients: created, revoked, changed (<see cref="ApiClientCache"/>).</summary>
    public const string ApiClients = "api-clients";

    public static readonly IReadOnlyList<string> Areas = [Organisation, DuePolicy, ApiClients];

    public static readonly IReadOnlyList<string> Keys = Areas.Select(a => Prefix + a).ToArray();

    /// <summary>The areas a change to this entity touches (none for most).</summary>
    public static string? AreaOf(object entity) => entity switch
    {
        OrgUnit or Category => Organisation,
        HolidayCalendarYear => DuePolicy,
        Setting { Key: Setting.ServiceLevels } => DuePolicy,
        ApiClient => ApiClients,
        _ => null,
    };

    /// <summary>The stamps as they are now: area → value (areas never changed are absent).</summary>
    public static async Task<Dictionary<string, string>> ReadAsync(TaizhangDb db, CancellationToken ct)
    {
        var keys = Keys.ToList();
        return (await db.Settings.AsNoTracking().Where(s => keys.Contains(s.Key)).Select(s => new { s.Key, s.Value }).ToListAsync(ct))
            .ToDictionary(s => s.Key[Prefix.Length..], s => s.Value, StringComparer.Ordinal);
    }
}

/// <summary>
/// Bumps an area's change stamp inside the SaveChanges that changes the area (see <see cref="ClusterStamps"/>),
/// and once it has committed, tells the other nodes at once (PostgreSQL NOTIFY, through <see cref="ClusterNode"/>);
/// the stamp itself is what they rely on: a lost notification only waits for the next poll.
/// </summary>
public sealed class ClusterStampInterceptor(ClusterNode node) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is TaizhangDb db)
        {
            foreach (var area in Touched(db))
            {
                Stamp(db, area, db.Settings.Find(ClusterStamps.Prefix + area));
            }
        }
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is TaizhangDb db)
        {
            foreach (var area in Touched(db))
            {
                Stamp(db, area, await db.Settings.FindAsync([ClusterStamps.Prefix + area], cancellationToken));
            }
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static List<string> Touched(TaizhangDb db) => db.ChangeTracker.Entries()
        .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
        .Select(e => ClusterStamps.AreaOf(e.Entity))
        .OfType<string>()
        .Distinct(StringComparer.Ordinal)
        .ToList();

    private void Stamp(TaizhangDb db, string area, Setting? row)
    {
        var now = DateTime.UtcNow;
        var value = Guid.NewGuid().ToString("N");
        if (row is null)
        {
            // The node pre-creates the rows at start (ClusterNode.EnsureStampsAsync), so two nodes'
            // first changes do not both insert; this covers a database changed before that ran.
            db.Settings.Add(new Setting { Key = ClusterStamps.Prefix + area, Value = value, UpdatedAt = now, UpdatedBy = node.Name });
        }
        else
        {
            row.Value = value;
            row.UpdatedAt = now;
            row.UpdatedBy = node.Name;
        }
        if (row is not null)
        {
            // Changed after SaveChanges detected the changes: say so explicitly.
            db.Entry(row).State = EntityState.Modified;
        }
        Stamped.AddOrUpdate(db, Mark);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> Stamped = [];
    private static readonly object Mark = new();

    private void Saved(DbContext? context)
    {
        // Whatever was stamped has committed: tell the other nodes now rather than at their next poll.
        if (context is not null && Stamped.Remove(context))
        {
            node.AnnounceStamps();
        }
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } context)
        {
            Stamped.Remove(context);
        }
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }
}

public static class ClusterSetup
{
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton((configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions()).Validated());
        services.AddSingleton<ClusterNode>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterNode>());
        services.AddSingleton<ClusterStampInterceptor>();
        services.ConfigureDbContext<SqliteTaizhangDb>((sp, o) => o.AddInterceptors(sp.GetRequiredService<ClusterStampInterceptor>()),
            ServiceLifetime.Singleton);
        services.ConfigureDbContext<PostgresTaizhangDb>((sp, o) => o.AddInterceptors(sp.GetRequiredService<ClusterStampInterceptor>()),
            ServiceLifetime.Singleton);
        return services;
    }
}
