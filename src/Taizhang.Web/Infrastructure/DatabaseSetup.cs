using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Taizhang.Web.Data;

namespace Taizhang.Web.Infrastructure;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Sqlite (default, embedded) or Postgres.</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>For SQLite, defaults to a file under ./data/.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, "Postgres", StringComparison.OrdinalIgnoreCase)
        || string.Equals(Provider, "PostgreSQL", StringComparison.OrdinalIgnoreCase);
}

public static class DatabaseSetup
{
    public const string DefaultSqlitePath = "data/taizhang.db";

    public static IServiceCollection AddTaizhangDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(options);
        if (options.IsPostgres)
        {
            var cs = options.ConnectionString
                ?? configuration.GetConnectionString("Postgres")
                ?? throw new InvalidOperationException("Database:Provider is Postgres but Database:ConnectionString is not set.");
            // Pooled: a request rents a reset context instead of building one (nothing in them depends on the request).
            services.AddDbContextPool<PostgresTaizhangDb>(o => o.UseNpgsql(cs).ConfigureWarnings(IgnoreOptionalLocation));
            services.AddScoped<TaizhangDb>(sp => sp.GetRequiredService<PostgresTaizhangDb>());
        }
        else if (string.Equals(options.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var cs = SqliteConnectionString(options.ConnectionString);
            services.AddDbContextPool<SqliteTaizhangDb>(o => o.UseSqlite(cs).AddInterceptors(SqlitePragmas.Instance).ConfigureWarnings(IgnoreOptionalLocation));
            services.AddScoped<TaizhangDb>(sp => sp.GetRequiredService<SqliteTaizhangDb>());
            services.AddHostedService<SqliteStatistics>();
        }
        else
        {
            throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'. Use Sqlite or Postgres.");
        }
        return services;
    }

    /// <summary>A case without a location has all location columns null: that is the intended reading.</summary>
    private static void IgnoreOptionalLocation(WarningsConfigurationBuilder w) =>
        w.Ignore(RelationalEventId.OptionalDependentWithoutIdentifyingPropertyWarning);

    /// <summary>Creates the folder of the SQLite file so a fresh checkout starts without set-up.</summary>
    public static string SqliteConnectionString(string? configured)
    {
        var builder = new SqliteConnectionStringBuilder(configured ?? $"Data Source={DefaultSqlitePath}");
        builder.Pooling = true;
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        var dir = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        return builder.ToString();
    }

    public static async Task<bool> HasPendingMigrationsAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<TaizhangDb>().Database.GetPendingMigrationsAsync(ct)).Any();
    }

    /// <summary>Applies the provider's migrations and, for SQLite, switches the file to WAL.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        // Migrate only when something is pending: MigrateAsync also validates every migration and diffs the model
        // against the snapshot (EF's pending-model-changes check), a few hundred milliseconds of every start at
        // nothing to do (docs/BENCHMARKS.md, start-up). A new database has every migration pending.
        if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
        {
            await db.Database.MigrateAsync(ct);
        }
        if (db.Database.IsSqlite())
        {
            // WAL is a property of the file: set once, it stays. One writer, many readers.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            // A migration that rebuilt "Cases" dropped its text-search triggers: put them back.
            await db.Database.ExecuteSqlRawAsync(SqliteCaseTexts.InsertTrigger, ct);
            await db.Database.ExecuteSqlRawAsync(SqliteCaseTexts.DeleteTrigger, ct);
            // The full-text index's triggers (on "CaseGrams", which EF never rebuilds: put back all the same).
            await db.Database.ExecuteSqlRawAsync(SearchIndex.SqliteInsertTrigger, ct);
            await db.Database.ExecuteSqlRawAsync(SearchIndex.SqliteDeleteTrigger, ct);
        }
        // The county counters' triggers (CaseCounterSql): created and counted once (an old database, a new
        // definition, another time zone, or a SQLite table rebuild that dropped them).
        var zone = TimeZoneInfo.FindSystemTimeZoneById((scope.ServiceProvider.GetService<CalendarOptions>() ?? new CalendarOptions()).TimeZone);
        if (await CaseCounterSql.EnsureAsync(db, zone, force: false, ct) is { } took)
        {
            scope.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger("Taizhang.Counters")
                .LogInformation("Case counters created and counted from the cases in {Milliseconds} ms", (long)took.TotalMilliseconds);
        }
    }
}

/// <summary>
/// Per-connection SQLite settings. synchronous=FULL: a registration is acknowledged only
/// after its batch is on disk, so a power cut cannot lose an acknowledged case.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A commit that takes the write-ahead log past this many pages (16 MB) copies it into the database
    /// file (checkpoint) before it returns. SQLite's default, 1,000, made every fourth intake batch at a
    /// million cases pay for a checkpoint (each batch dirties hundreds of index pages): 3,100 cases/s.
    /// At 4,000 intake runs at 3,600/s with p99 85 ms at 128 connections; larger logs were faster still
    /// (16,000: 4,150/s) but their checkpoints stalled commits for 100–250 ms. A background
    /// checkpointer (PASSIVE, every second, commits never checkpointing) measured the same trade:
    /// 4,500/s with periodic 100 ms stalls. Measured in bench/ (docs/BENCHMARKS.md).
    /// </summary>
    public const int AutoCheckpointPages = 4_000;

    private static readonly string Sql =
        $"PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint={AutoCheckpointPages};";

    private static void Apply(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = Sql;
        cmd.ExecuteNonQuery();
    }
}
