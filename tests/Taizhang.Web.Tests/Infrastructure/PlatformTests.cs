using System.Net;
using Microsoft.EntityFrameworkCore;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Infrastructure;

/// <summary>What every deployment relies on: schema, migrations, OpenAPI, SQLite durability settings.</summary>
public abstract class PlatformTests(TaizhangApp app)
{
    [Fact]
    public async Task Migrations_AreAllAppliedAndMatchTheModel()
    {
        var pending = await app.WithDbAsync(db => db.Database.GetPendingMigrationsAsync());
        Assert.Empty(pending);
        var applied = await app.WithDbAsync(db => db.Database.GetAppliedMigrationsAsync());
        Assert.NotEmpty(applied);
        Assert.False(await app.WithDbAsync(db => Task.FromResult(db.Database.HasPendingModelChanges())),
            "The model has changes that no migration contains: add a migration for both providers.");
    }

    [Fact]
    public async Task OpenApi_DocumentListsTheCaseEndpoints()
    {
        using var response = await app.ClientAs().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await response.ReadJsonAsync();
        var paths = doc["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/v1/cases"));
        Assert.True(paths.ContainsKey("/api/v1/cases/{id}"));
        Assert.True(paths.ContainsKey("/api/v1/cases/{id}/follow-up"));
        Assert.True(paths.ContainsKey("/api/v1/track/{code}"));
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem()
    {
        using var response = await app.ClientAs().GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class PlatformTests_Sqlite(SqliteApp app) : PlatformTests(app), IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Sqlite_UsesWalAndFullSync()
    {
        var mode = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync());
        Assert.Equal("wal", Assert.Single(mode));
        var sync = await app.WithDbAsync(db => db.Database.SqlQueryRaw<int>("PRAGMA synchronous").ToListAsync());
        Assert.Equal(2, Assert.Single(sync)); // FULL
    }

    [Fact]
    public async Task Sqlite_CounterTables_AreStoredInTheirKeysOrder_WithoutRowid()
    {
        // The migration CounterTablesWithoutRowid: reports read a range of towns and months in key order, triggers write one B-tree.
        var tables = await app.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
            "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name LIKE 'Case%Counts' AND sql LIKE '%WITHOUT ROWID' ORDER BY name").ToListAsync());
        Assert.Equal(["CaseBreakdownCounts", "CaseFactCounts", "CaseKindCounts", "CaseStatusCounts", "CaseUnitEventCounts"], tables);
        // The counter triggers still write to them: a registration counts.
        var before = await app.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT COALESCE(SUM(\"Count\"), 0) AS \"Value\" FROM \"CaseStatusCounts\"").SingleAsync());
        await app.ClientAs("town").RegisterIdAsync(CaseApi.NewCase(title: "计数表测试"));
        var after = await app.WithDbAsync(db => db.Database.SqlQueryRaw<long>("SELECT COALESCE(SUM(\"Count\"), 0) AS \"Value\" FROM \"CaseStatusCounts\"").SingleAsync());
        Assert.Equal(before + 1, after);
    }
}

public sealed class PlatformTests_Postgres(PostgresApp app) : PlatformTests(app), IClassFixture<PostgresApp>
{
    [Fact]
    public async Task Postgres_IsTheProviderInUse()
    {
        var provider = await app.WithDbAsync(db => Task.FromResult(db.Database.ProviderName));
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", provider);
    }
}
