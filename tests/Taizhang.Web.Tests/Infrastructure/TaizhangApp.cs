using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Taizhang.Domain.Access;
using Taizhang.Web.Features.Accounts;
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

    /// <summary>The database this app runs on (a second node of the same database uses it too).</summary>
    public string DatabaseConnectionString => ConnectionString;

    /// <summary>Where this app keeps attachment files (removed with the app).</summary>
    public abstract string AttachmentsDirectory { get; }

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
        builder.UseSetting("Bootstrap:AdminPassword", Password);
        // Tests move the clock by days and back; a signed-in test client must stay signed in.
        builder.UseSetting("Accounts:SessionHours", (24 * 365 * 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Accounts:AbsoluteSessionHours", (24 * 365 * 5).ToString(System.Globalization.CultureInfo.InvariantCulture));
        // Every test client comes from the same (unknown) address: the per-address limits would
        // count a whole class's requests and failures together. SignInThrottleTests use the defaults.
        builder.UseSetting("RateLimits:SignInPerMinute", "1000");
        builder.UseSetting("RateLimits:TrackingPerMinute", "1000");
        builder.UseSetting("RateLimits:Open311PerMinute", "1000");
        // The Open311 tests list anonymously; the default (off) has its own test.
        builder.UseSetting("Open311:AnonymousListing", "true");
        builder.UseSetting("RateLimits:RatingPerHour", "1000");
        builder.UseSetting("Accounts:MaxFailedSignInsPerAddress", "1000");
        // The notification sender's loop stays off: tests that deliver call NotificationDispatcher.SendDueAsync themselves.
        builder.UseSetting("Notifications:SenderEnabled", "false");
        // The deadline watch's loop too: tests that need it call DeadlineWatch.RunPassAsync (the clock moves by days).
        builder.UseSetting("Deadlines:WatchEnabled", "false");
        // The closed-period warm-up too (it would persist figures at whatever time a test has set the clock to): ClosedPeriodWarmupTests runs a pass itself.
        builder.UseSetting("Reports:Warmup", "false");
        // The full-text backfill's first look at once (the tests search right after start; a server waits 2 s).
        builder.UseSetting("Search:BackfillStartDelaySeconds", "0");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            // The same PBKDF2 hashing with fewer rounds (production keeps Identity's 100,000): each hash or check
            // cost ~60 ms of CPU, and the suite creates and signs in thousands of users (these tests took 13 m 52 s
            // on two cores with the default, 7 m 23 s with this). A hash records its rounds, so either kind checks.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1_000);
        });
    }

    public virtual async Task InitializeAsync()
    {
        await PrepareDatabaseAsync();
        _ = Server; // starts the host: migrations run here, as in production (none pending on a template's copy)
        if (!SeedOrganisation || FromTemplate)
        {
            return;
        }
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        await DemoSeeder.SeedOrganisationAsync(db, CancellationToken.None);
        Services.GetRequiredService<OrgDirectory>().Invalidate();
    }

    protected virtual Task PrepareDatabaseAsync() => Task.CompletedTask;

    /// <summary>False for a fresh installation: no org units, as after a first start without --demo.</summary>
    protected virtual bool SeedOrganisation => true;

    /// <summary>
    /// Whether the database starts as a copy of the process's template: a database that one app of the
    /// same provider migrated, started on and gave the Sanchahe organisation (see <see cref="SqliteApp"/>,
    /// <see cref="PostgresApp"/>). Running 42 migrations for each of ~170 test classes was a sixth of the
    /// suite's time. A fresh installation (no organisation) and a restored backup start empty, as they must.
    /// </summary>
    protected virtual bool FromTemplate => SeedOrganisation;

    public new virtual async Task DisposeAsync() => await base.DisposeAsync();

    public const string Password = "correct horse battery";

    /// <summary>The people of the test town: user name → post.</summary>
    public static readonly IReadOnlyDictionary<string, (Role Role, string Unit, string DisplayName)> People =
        new Dictionary<string, (Role, string, string)>
        {
            ["town"] = (Role.TownStaff, "SCH", "镇办受理员"),
            ["cadre"] = (Role.VillageCadre, "SCH-MJC", "马家村干部"),
            ["cadre-wjc"] = (Role.VillageCadre, "SCH-WJC", "王家村干部"),
            ["agency"] = (Role.AgencyHandler, "SCH-SFS", "司法所调解员"),
            ["police"] = (Role.AgencyHandler, "SCH-PCS", "派出所民警"),
            ["operator"] = (Role.Operator, "SCH", "接线员"),
            ["operator-mjc"] = (Role.Operator, "SCH-MJC", "马家村接线员"),
            ["leader"] = (Role.Leader, "SCH", "镇党委书记"),
            ["member"] = (Role.Member, "SCH", "议事会成员"),
            ["admin-sch"] = (Role.Administrator, "SCH", "镇管理员"),
            ["admin-county"] = (Role.Administrator, "ZX", "县管理员"),
        };

    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _users = new();

    /// <summary>
    /// A client signed in as <paramref name="who"/>: a user name of <see cref="People"/>, or any
    /// other name, which becomes a town-staff member with that display name. Signs in (cookie +
    /// antiforgery token) on its first request.
    /// </summary>
    public HttpClient ClientAs(string who = "town")
    {
        var cookies = new CookieContainerHandler();
        return CreateDefaultClient(new SignInHandler(this, who), cookies);
    }

    /// <summary>A client of <paramref name="server"/> (this app with other settings, <c>WithWebHostBuilder</c>) signed in as <paramref name="who"/>.</summary>
    public HttpClient ClientOf(WebApplicationFactory<Program> server, string who = "town") =>
        server.CreateDefaultClient(new SignInHandler(this, who), new CookieContainerHandler());

    /// <summary>A client with no credentials at all.</summary>
    public HttpClient AnonymousClient() => CreateDefaultClient(new CookieContainerHandler());

    /// <summary>Creates the user once; returns the user name to sign in with.</summary>
    public Task<string> EnsureUserAsync(string who) => _users.GetOrAdd(who, w => new Lazy<Task<string>>(async () =>
    {
        var (role, unit, display) = People.TryGetValue(w, out var person) ? person : (Role.TownStaff, "SCH", w);
        var userName = People.ContainsKey(w) ? w : "u" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(w)))[..12];
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TaizhangDb>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var unitId = await db.OrgUnits.Where(u => u.Code == unit).Select(u => u.Id).SingleAsync();
        var user = new AppUser { UserName = userName, DisplayName = display, CreatedAt = DateTime.UtcNow };
        user.Posts.Add(new UserPost { Role = role, OrgUnitId = unitId });
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return userName;
    })).Value;

    /// <summary>Signs in on the first request and sends the antiforgery token with every request.</summary>
    private sealed class SignInHandler(TaizhangApp app, string who) : DelegatingHandler
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private string? _token;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            if (_token is null)
            {
                await _gate.WaitAsync(ct);
                try
                {
                    if (_token is null)
                    {
                        var userName = await app.EnsureUserAsync(who);
                        using var signIn = new HttpRequestMessage(HttpMethod.Post, "http://localhost/api/v1/session")
                        {
                            Content = JsonContent.Create(new { userName, password = Password }),
                        };
                        using var response = await base.SendAsync(signIn, ct);
                        var body = await response.Content.ReadAsStringAsync(ct);
                        Assert.True(response.IsSuccessStatusCode, $"sign-in as {who}: {response.StatusCode} {body}");
                        _token = System.Text.Json.Nodes.JsonNode.Parse(body)!["antiforgeryToken"]!.GetValue<string>();
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }
            request.Headers.Remove("X-XSRF-TOKEN");
            request.Headers.Add("X-XSRF-TOKEN", _token);
            return await base.SendAsync(request, ct);
        }
    }

    public async Task<T> WithDbAsync<T>(Func<TaizhangDb, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<TaizhangDb>());
    }
}

public class SqliteApp : TaizhangApp
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "taizhang-tests", Guid.NewGuid().ToString("N"));

    public override string Provider => "Sqlite";

    protected override string ConnectionString => $"Data Source={DatabaseFile}";

    private string DatabaseFile => Path.Combine(_dir, "taizhang.db");

    /// <summary>The template file: built once per test process by the first app that needs it.</summary>
    private static readonly Lazy<Task<string>> Template = new(BuildTemplateAsync);

    private static async Task<string> BuildTemplateAsync()
    {
        var file = Path.Combine(Path.GetTempPath(), "taizhang-tests", $"template-{Guid.NewGuid():N}.db");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(file);
        await using var builder = new TemplateBuilder();
        await builder.InitializeAsync();
        // A consistent copy of the whole database (the log included) in one file.
        await builder.WithDbAsync(db => db.Database.ExecuteSqlAsync($"VACUUM INTO {file}"));
        return file;
    }

    private sealed class TemplateBuilder : SqliteApp
    {
        protected override bool FromTemplate => false;
    }

    protected override async Task PrepareDatabaseAsync()
    {
        if (FromTemplate)
        {
            var template = await Template.Value;
            Directory.CreateDirectory(_dir);
            File.Copy(template, DatabaseFile);
        }
    }

    /// <summary>Not configured: the default, an "attachments" folder beside the SQLite file.</summary>
    public override string AttachmentsDirectory => Path.Combine(_dir, "attachments");

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
public class PostgresApp : TaizhangApp
{
    public const string ServerVariable = "TAIZHANG_TEST_POSTGRES";
    private readonly string _database = "tz_" + Guid.NewGuid().ToString("N")[..16];

    public override string Provider => "Postgres";

    public override string AttachmentsDirectory { get; } = Path.Combine(Path.GetTempPath(), "taizhang-tests", Guid.NewGuid().ToString("N") + "-attachments");

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The default (data/attachments under the working directory) would be the test's bin folder.
        builder.UseSetting("Attachments:Directory", AttachmentsDirectory);
    }

    private static string ServerConnection => Environment.GetEnvironmentVariable(ServerVariable)
        ?? throw new InvalidOperationException(
            $"{ServerVariable} is not set. Run ./test.sh, which starts a PostgreSQL server, or set it to a server's connection string.");

    protected override string ConnectionString =>
        new NpgsqlConnectionStringBuilder(ServerConnection) { Database = _database }.ToString();

    /// <summary>The template database: built once per test process by the first app that needs it.</summary>
    private static readonly Lazy<Task<string>> Template = new(BuildTemplateAsync);

    private static async Task<string> BuildTemplateAsync()
    {
        var builder = new TemplateBuilder();
        await builder.InitializeAsync();
        await builder.StopAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var conn = new NpgsqlConnection(ServerConnection);
            conn.Open();
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{builder._database}\" WITH (FORCE)", conn);
            cmd.ExecuteNonQuery();
        };
        return builder._database;
    }

    private sealed class TemplateBuilder : PostgresApp
    {
        protected override bool FromTemplate => false;

        /// <summary>Stops the host and closes its connections, keeping the database (a template may have no sessions).</summary>
        public async Task StopAsync()
        {
            await base.DisposeBaseAsync();
            NpgsqlConnection.ClearAllPools();
        }
    }

    private Task DisposeBaseAsync() => base.DisposeAsync();

    protected override async Task PrepareDatabaseAsync()
    {
        var template = FromTemplate ? await Template.Value : null;
        await using var conn = new NpgsqlConnection(ServerConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            template is null ? $"CREATE DATABASE \"{_database}\"" : $"CREATE DATABASE \"{_database}\" TEMPLATE \"{template}\"", conn);
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
        if (Directory.Exists(AttachmentsDirectory))
        {
            Directory.Delete(AttachmentsDirectory, recursive: true);
        }
    }
}

/// <summary>A first start without demo data: only the bootstrap administrator and the default categories.</summary>
public sealed class EmptySqliteApp : SqliteApp
{
    protected override bool SeedOrganisation => false;
}

public sealed class EmptyPostgresApp : PostgresApp
{
    protected override bool SeedOrganisation => false;
}
