using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Domain.Cases;
using Taizhang.Web.Data;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Data;

/// <summary>
/// The CitusReadySchema migration gives the rows that had no town their owner's: a rating attempt its
/// case's, an imported row its source's; on PostgreSQL the keys become (Id, TownId) around existing rows,
/// and the app goes on writing through them.
/// </summary>
public abstract class CitusReadySchemaMigrationTests(TaizhangApp app)
{
    [Fact]
    public async Task RowsWithoutATown_GetTheirOwnersTown_AndTheLedgerGoesOn()
    {
        var caseId = await app.SharedClientAs("town").RegisterIdAsync(CaseApi.NewCase(title: "迁移前：镇里的旧案件"));
        var town = await app.WithDbAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.TownId).SingleAsync());
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var sourceName = "迁移来源" + Guid.NewGuid().ToString("N")[..6];
        var sourceId = await app.WithDbAsync(async db =>
        {
            var source = new ImportSource { TownId = town, Name = sourceName, Channel = Channel.HigherLevel, CreatedAt = now, UpdatedAt = now, UpdatedBy = "test" };
            db.ImportSources.Add(source);
            await db.SaveChangesAsync();
            return source.Id;
        });
        var reference = "MIG-" + Guid.NewGuid().ToString("N")[..8];

        // Back to the schema before the migration, and rows written as the app wrote them then (no TownId).
        await app.WithDbAsync(async db =>
        {
            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync("DeadlineListIndexes");
            await db.Database.ExecuteSqlAsync($"""INSERT INTO "RatingAttempts" ("CaseId", "At") VALUES ({caseId}, {now})""");
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ImportRuns" ("SourceId", "TownId", "ActorId", "ActorName", "StartedAt", "FileName", "Rows", "Created", "Duplicates", "Invalid", "Status")
                VALUES ({sourceId}, {town}, 'test', 'test', {now}, 'old.xlsx', 1, 1, 0, 0, 'Completed')
                """);
            var runId = await db.ImportRuns.Where(r => r.SourceId == sourceId).Select(r => r.Id).SingleAsync();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ImportedRows" ("SourceId", "Reference", "CaseId", "RunId") VALUES ({sourceId}, {reference}, {caseId}, {runId})
                """);
            return 0;
        });
        await DatabaseSetup.MigrateAsync(app.Services);

        var attempts = await app.WithDbAsync(db => db.RatingAttempts.Where(a => a.CaseId == caseId).Select(a => a.TownId).ToListAsync());
        Assert.Equal([town], attempts);
        var rows = await app.WithDbAsync(db => db.ImportedRows.Where(r => r.SourceId == sourceId).Select(r => new { r.TownId, r.Reference }).ToListAsync());
        Assert.Equal(town, Assert.Single(rows).TownId);

        // Writing through the new keys: a new case, and a change of the old one (events keyed (Id, TownId)).
        var after = await app.SharedClientAs("town").RegisterIdAsync(CaseApi.NewCase(title: "迁移后：新案件"));
        Assert.True(after > caseId);
        var events = await app.WithDbAsync(db => db.CaseEvents.CountAsync(e => e.CaseId == after && e.TownId == town));
        Assert.True(events >= 1);
    }
}

public sealed class CitusReadySchemaMigrationTests_Sqlite(SqliteApp app) : CitusReadySchemaMigrationTests(app), IClassFixture<SqliteApp>;

public sealed class CitusReadySchemaMigrationTests_Postgres(PostgresApp app) : CitusReadySchemaMigrationTests(app), IClassFixture<PostgresApp>;
