using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Taizhang.Web.Data;
using Taizhang.Web.Demo;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>
/// The real app over real HTTP on a real, fresh database with the Sanchahe organisation.
/// One per test class; the clock is a FakeTimeProvider the tests move.
/// </summary>
public abstract class TaizhangApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>Thursday 2026-11-26 10:00 in Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

    public TestClock Clock { get; } = new(Start);

    public abstract string Provider { get; }

    protected abstract string ConnectionString { get; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider);
        builder.UseSetting("Database:ConnectionString", ConnectionString);
        builder.UseSetting("Demo:Seed", "false");
        builder.UseSetting("RateLimits:PublicPerMinute", "1000");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    public virtual async Task InitializeAsync()
    {
        await PrepareDatabaseAsync();
        _ = Server; // starts the host: migrations run here, as in production
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        await DemoSeeder.SeedOrganisationAsync(db, CancellationToken.None);
        Services.GetRequiredService<OrgDirectory>().Invalidate();
    }

    protected virtual Task PrepareDatabaseAsync() => Task.CompletedTask;

    public new virtual async Task DisposeAsync() => await base.DisposeAsync();

    /// <summary>A client acting as the named person (development actor header).</summary>
    public HttpClient ClientAs(string actor = "镇办受理员")
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(CurrentActor.HeaderName, Uri.EscapeDataString(actor));
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<TaizhangDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TaizhangDb>());
    }
}

public sealed class SqliteApp : TaizhangApp
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "taizhang-tests", Guid.NewGuid().ToString("N"));

    public override string Provider => "Sqlite";

    protected override string ConnectionString => $"Data Source={Path.Combine(_dir, "taizhang.db")}";

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left in the temp folder; the test result stands.
        }
    }
}

/// <summary>
/// A fresh database per test class on the PostgreSQL server that ./test.sh starts
/// (TAIZHANG_TEST_POSTGRES). Without it these tests fail: they are never skipped.
/// </summary>
public sealed class PostgresApp : TaizhangApp
{
    public const string ServerVariable = "TAIZHANG_TEST_POSTGRES";
    private readonly string _database = "tz_" + Guid.NewGuid().ToString("N")[..16];

    public override string Provider => "Postgres";

    private static string ServerConnection => Environment.GetEnvironmentVariable(ServerVariable)
        ?? throw new InvalidOperationException(
            $"{ServerVariable} is not set. Run ./test.sh, which starts a PostgreSQL server, or set it to a server's connection string.");

    protected override string ConnectionString =>
        new NpgsqlConnectionStringBuilder(ServerConnection) { Database = _database }.ToString();

    protected override async Task PrepareDatabaseAsync()
    {
        await using var conn = new NpgsqlConnection(ServerConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(ServerConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
