using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Taizhang.Domain.Calendar;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>
/// The change stamps of <see cref="ClusterStamps"/> on both providers: an administrator's change bumps its
/// area's stamp in the same save (a refused one does not); a change written straight into the database — as
/// another node's would be — takes effect here only once its stamp changes, and then at the next check
/// (<see cref="ClusterNode.CheckStampsAsync"/>, which the node runs every Cluster:PollSeconds).
/// The process test with two real servers is tests/Taizhang.Reliability.Tests TwoNodeTests.
/// </summary>
public abstract class ClusterStampTests(TaizhangApp app)
{
    private ClusterNode Node => app.Services.GetRequiredService<ClusterNode>();

    private Task<Dictionary<string, string>> StampsAsync() => app.WithDbAsync(db => ClusterStamps.ReadAsync(db, CancellationToken.None));

    private Task ExecuteAsync(FormattableString sql) => app.WithDbAsync(async db => await db.Database.ExecuteSqlAsync(sql));

    /// <summary>What another node's transaction would leave: the area's stamp with a value nobody has seen.</summary>
    private Task BumpAsync(string area)
    {
        var key = ClusterStamps.Prefix + area;
        var value = Guid.NewGuid().ToString("N");
        return ExecuteAsync($"""
            INSERT INTO "Settings" ("Key", "Value", "UpdatedAt", "UpdatedBy") VALUES ({key}, {value}, {DateTime.UtcNow}, 'other-node')
            ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value"
            """);
    }

    [Fact]
    public async Task AdministratorsChanges_BumpTheirAreasStamp_ARefusedOneDoesNot()
    {
        var admin = app.ClientAs("admin-county");
        var before = await StampsAsync();

        using (var refused = await admin.PutAsJsonAsync("/api/v1/admin/service-levels", new { normal = new { count = -3, unit = "WorkingDays" } }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
        Assert.Equal(before.GetValueOrDefault(ClusterStamps.DuePolicy), (await StampsAsync()).GetValueOrDefault(ClusterStamps.DuePolicy));

        using (var put = await admin.PutAsJsonAsync("/api/v1/admin/service-levels", new { normal = new { count = 6, unit = "WorkingDays" } }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        var afterLevels = await StampsAsync();
        Assert.NotEqual(before.GetValueOrDefault(ClusterStamps.DuePolicy), afterLevels[ClusterStamps.DuePolicy]);
        Assert.Equal(before.GetValueOrDefault(ClusterStamps.ApiClients), afterLevels.GetValueOrDefault(ClusterStamps.ApiClients));

        var (id, _, _) = await app.AddApiClientAsync();
        var afterCreate = await StampsAsync();
        Assert.NotEqual(afterLevels.GetValueOrDefault(ClusterStamps.ApiClients), afterCreate[ClusterStamps.ApiClients]);
        using (var revoke = await admin.PostAsync($"/api/v1/admin/api-clients/{id}/revoke", null))
        {
            Assert.True(revoke.IsSuccessStatusCode, revoke.StatusCode.ToString());
        }
        var afterRevoke = await StampsAsync();
        Assert.NotEqual(afterCreate[ClusterStamps.ApiClients], afterRevoke[ClusterStamps.ApiClients]);
        Assert.Equal(afterLevels[ClusterStamps.DuePolicy], afterRevoke[ClusterStamps.DuePolicy]);
    }

    [Fact]
    public async Task ServiceLevelsChangedElsewhere_TakeEffectAtTheCheckAfterTheirStamp()
    {
        var policies = app.Services.GetRequiredService<DuePolicySource>();
        await Node.CheckStampsAsync(CancellationToken.None);
        var before = policies.Current;
        var levels = before.Levels with { Low = new ServiceLevel(40, DurationUnit.CalendarDays) };
        var json = JsonSerializer.Serialize(levels, DuePolicySource.Json);
        await ExecuteAsync($"""
            INSERT INTO "Settings" ("Key", "Value", "UpdatedAt", "UpdatedBy") VALUES ({Setting.ServiceLevels}, {json}, {DateTime.UtcNow}, 'other-node')
            ON CONFLICT ("Key") DO UPDATE SET "Value" = excluded."Value"
            """);

        // Without its stamp the change is not seen: the policy in memory is still the one loaded.
        await Node.CheckStampsAsync(CancellationToken.None);
        Assert.Same(before, policies.Current);

        var reloads = Node.Reloads;
        await BumpAsync(ClusterStamps.DuePolicy);
        await Node.CheckStampsAsync(CancellationToken.None);
        Assert.NotSame(before, policies.Current);
        Assert.Equal(new ServiceLevel(40, DurationUnit.CalendarDays), policies.Current.Levels.Low);
        Assert.True(Node.Reloads > reloads);
    }

    [Fact]
    public async Task ApiClientRevokedElsewhere_IsRefusedAtTheCheckAfterItsStamp_NotAfterTheCachesFifteenSeconds()
    {
        var (client, id) = await app.IntegrationAsync();
        // The client's creation stamped its area: seen now, so that only the later stamp is the one tested.
        await Node.CheckStampsAsync(CancellationToken.None);
        using (var first = await client.GetAsync("/api/v1/session"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        await ExecuteAsync($"""UPDATE "ApiClients" SET "RevokedAt" = {DateTime.UtcNow} WHERE "Id" = {id}""");

        // Kept in memory (that is the cache the stamp clears): still accepted until the stamp is seen.
        await Node.CheckStampsAsync(CancellationToken.None);
        using (var cached = await client.GetAsync("/api/v1/session"))
        {
            Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        }

        await BumpAsync(ClusterStamps.ApiClients);
        await Node.CheckStampsAsync(CancellationToken.None);
        using var refused = await client.GetAsync("/api/v1/session");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task UnitRenamedElsewhere_IsSeenAtTheCheckAfterItsStamp()
    {
        var org = app.Services.GetRequiredService<OrgDirectory>();
        await Node.CheckStampsAsync(CancellationToken.None);
        var name = (await org.GetAsync()).UnitsByCode["SCH-WJC"].Name;
        var renamed = "王家村（" + Guid.NewGuid().ToString("N")[..4] + "）";
        await ExecuteAsync($"""UPDATE "OrgUnits" SET "Name" = {renamed} WHERE "Code" = 'SCH-WJC'""");
        await Node.CheckStampsAsync(CancellationToken.None);
        Assert.Equal(name, (await org.GetAsync()).UnitsByCode["SCH-WJC"].Name);

        await BumpAsync(ClusterStamps.Organisation);
        await Node.CheckStampsAsync(CancellationToken.None);
        Assert.Equal(renamed, (await org.GetAsync()).UnitsByCode["SCH-WJC"].Name);
        await ExecuteAsync($"""UPDATE "OrgUnits" SET "Name" = {name} WHERE "Code" = 'SCH-WJC'""");
        await BumpAsync(ClusterStamps.Organisation);
    }

    [Fact]
    public void OnSqlite_EveryJobRunsHere_OnPostgresOnlyWhileHoldingTheLock()
    {
        Assert.Equal(app.Provider == "Postgres", Node.IsPostgres);
        if (!Node.IsPostgres)
        {
            Assert.True(Node.RunsJobs);
            Assert.True(Node.WhenRunsJobsAsync(CancellationToken.None).IsCompletedSuccessfully);
        }
    }
}

public sealed class ClusterStampTests_Sqlite(SqliteApp app) : ClusterStampTests(app), IClassFixture<SqliteApp>;

public sealed class ClusterStampTests_Postgres(PostgresApp app) : ClusterStampTests(app), IClassFixture<PostgresApp>;

/// <summary>A node of a PostgreSQL test database that tries for the jobs' lock every 0.2 s.</summary>
public class ClusterPostgresApp : PostgresApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Cluster:NodeName", "test-node-a");
        builder.UseSetting("Cluster:LeaderRetrySeconds", "0.2");
        builder.UseSetting("Cluster:PollSeconds", "0.5");
    }
}

/// <summary>A second node on the first one's database (created and dropped by the first).</summary>
public sealed class PeerNodeApp(TaizhangApp first) : TaizhangApp
{
    public override string Provider => first.Provider;

    protected override string ConnectionString => first.DatabaseConnectionString;

    public override string AttachmentsDirectory => first.AttachmentsDirectory;

    protected override bool SeedOrganisation => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Attachments:Directory", AttachmentsDirectory);
        builder.UseSetting("Cluster:NodeName", "test-node-b");
        builder.UseSetting("Cluster:LeaderRetrySeconds", "0.2");
        builder.UseSetting("Cluster:PollSeconds", "0.5");
    }
}

/// <summary>
/// Two nodes (two hosts in this process, each with its own connections) on one PostgreSQL database: exactly
/// one runs the background jobs; when its session ends (terminated by the server, as when its process dies)
/// the other takes over; a case changed on one node wakes the other's boards; a service level changed on one
/// is used by the other within the bound.
/// </summary>
public sealed class ClusterLeadershipTests(ClusterPostgresApp app) : IClassFixture<ClusterPostgresApp>
{
    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < timeout, $"timed out after {timeout.TotalSeconds} s waiting for {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task OneNodeRunsTheJobs_TheOtherTakesOverWhenItsSessionEnds()
    {
        await using var peer = new PeerNodeApp(app);
        await peer.InitializeAsync();
        var a = app.Services.GetRequiredService<ClusterNode>();
        var b = peer.Services.GetRequiredService<ClusterNode>();
        await WaitUntilAsync(() => a.RunsJobs || b.RunsJobs, TimeSpan.FromSeconds(10), "a node to take the jobs");
        // Never both: sampled for a second (the lock is exclusive).
        for (var i = 0; i < 20; i++)
        {
            Assert.False(a.RunsJobs && b.RunsJobs, "both nodes run the jobs");
            await Task.Delay(50);
        }
        var (leader, follower) = a.RunsJobs ? (a, b) : (b, a);
        var waiting = follower.WhenRunsJobsAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        // The holder's session ends, as when its process is killed: the server releases its lock.
        await using (var conn = new NpgsqlConnection(app.DatabaseConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()", conn);
            cmd.Parameters.AddWithValue("name", "taizhang " + leader.Name + " (jobs lock)");
            Assert.Equal(1L, await cmd.ExecuteScalarAsync());
        }
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(follower.RunsJobs);
        await WaitUntilAsync(() => !leader.RunsJobs, TimeSpan.FromSeconds(10), "the old holder to give the jobs up");
        // It reconnects and tries again (after letting the others try first), but the lock is taken: still exactly one.
        var tries = leader.LockTries;
        await WaitUntilAsync(() => leader.LockTries >= tries + 2, TimeSpan.FromSeconds(15), "the old holder to try again");
        Assert.True(follower.RunsJobs && !leader.RunsJobs);
    }

    [Fact]
    public async Task ChangesOnOneNode_ReachTheOther_CasesToItsBoards_ServiceLevelsToItsIntake()
    {
        await using var peer = new PeerNodeApp(app);
        await peer.InitializeAsync();
        var b = peer.Services.GetRequiredService<ClusterNode>();
        await WaitUntilAsync(() => b.StampChecks > 0, TimeSpan.FromSeconds(10), "the second node's first check");

        // A registration on the second node pulses the first node's board signal (NOTIFY).
        var signal = app.Services.GetRequiredService<CaseChangeSignal>();
        var version = signal.Version;
        var (integration, _) = await peer.IntegrationAsync();
        using (var created = await integration.PostAsJsonAsync("/api/v1/cases", CaseApi.NewCase(title: "两节点看板")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        await WaitUntilAsync(() => signal.Version > version, TimeSpan.FromSeconds(5), "the first node's boards to hear of the second's case");

        // A service level changed through the first node is the second's within the bound (5 s; poll 0.5 s here).
        var policies = peer.Services.GetRequiredService<DuePolicySource>();
        var admin = app.ClientAs("admin-county");
        using (var put = await admin.PutAsJsonAsync("/api/v1/admin/service-levels", new { high = new { count = 9, unit = "CalendarDays" } }))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        await WaitUntilAsync(() => policies.Current.Levels.High == new ServiceLevel(9, DurationUnit.CalendarDays), TimeSpan.FromSeconds(5),
            "the second node to use the first node's service level");
    }
}
