using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Data;

/// <summary>
/// The CaseFollowUpCount migration counts the return visits already in the timelines: a database
/// from before it (the schema rolled back to CaseSearchTexts) comes up with every visit counted.
/// </summary>
public abstract class CaseFollowUpCountMigrationTests(TaizhangApp app)
{
    [Fact]
    public async Task ReturnVisitsBeforeTheColumn_AreCountedFromTheTimeline()
    {
        var client = app.SharedClientAs("town");
        var twice = await client.RegisterIdAsync(CaseApi.NewCase(title: "回访两次的事项"));
        await client.DoAsync(twice, "triage", new { track = "Direct", assigneeUnit = "SCH-MJC" });
        await client.DoAsync(twice, "resolve", new { outcome = "Solved", result = "已处理" });
        await client.DoAsync(twice, "follow-up", new { satisfaction = "Unsatisfied", note = "问题依旧" });
        await client.DoAsync(twice, "assign", new { unit = "SCH-MJC" });
        await client.DoAsync(twice, "resolve", new { outcome = "Solved", result = "再次处理" });
        await client.DoAsync(twice, "follow-up", new { satisfaction = "Satisfied" });
        var never = await client.RegisterIdAsync(CaseApi.NewCase(title: "未回访的事项"));
        Assert.Equal(2, await CountAsync(twice));

        // Back to the schema before the column, then up again the way the server starts.
        await app.WithDbAsync(async db =>
        {
            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync("CaseSearchTexts");
            if (app.Provider == "Sqlite")
            {
                // What a migration that rebuilds "Cases" on SQLite does to the text-search triggers:
                // starting the server puts them back.
                await db.Database.ExecuteSqlRawAsync("""DROP TRIGGER "Cases_CaseTexts_Insert";""");
            }
            return 0;
        });
        await DatabaseSetup.MigrateAsync(app.Services);
        // As a start does: the full-text index (re-created empty by going down past it) indexes the cases stored before it.
        await app.Services.GetRequiredService<Taizhang.Web.Features.Cases.SearchIndexBackfill>().RunAsync(CancellationToken.None);

        Assert.Equal(2, await CountAsync(twice));
        Assert.Equal(0, await CountAsync(never));
        // The ledger still works on the migrated schema, text search (kept by a trigger) included.
        var after = await client.RegisterIdAsync(CaseApi.NewCase(title: "迁移之后登记的事项"));
        Assert.Equal(after, (await client.ListAsync("q=迁移之后"))["items"]!.AsArray().Single()!["id"]!.GetValue<long>());
        Assert.Equal(1, (await client.ListAsync("followedUp=true&q=回访两次")).Total());
    }

    private Task<int> CountAsync(long id) =>
        app.WithDbAsync(db => db.Cases.Where(c => c.Id == id).Select(c => c.FollowUpCount).SingleAsync());
}

public sealed class CaseFollowUpCountMigrationTests_Sqlite(SqliteApp app) : CaseFollowUpCountMigrationTests(app), IClassFixture<SqliteApp>;

public sealed class CaseFollowUpCountMigrationTests_Postgres(PostgresApp app) : CaseFollowUpCountMigrationTests(app), IClassFixture<PostgresApp>;
