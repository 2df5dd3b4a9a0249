using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Taizhang.Web.Infrastructure;
using Taizhang.Web.Tests.Infrastructure;

namespace Taizhang.Web.Tests.Data;

/// <summary>
/// The ExternalRefPerApiClient migration gives each existing external reference to the integration
/// that registered its case; a reference typed by a person no longer blocks anything, and of one
/// integration's duplicates (allowed before, per town and channel) the first registered keeps it.
/// </summary>
public abstract class ExternalRefPerApiClientMigrationTests(TaizhangApp app)
{
    [Fact]
    public async Task ExistingReferences_BelongToTheIntegrationThatRegisteredThem()
    {
        var (hotline, clientId) = await app.IntegrationAsync();
        var reference = "OLD-" + Guid.NewGuid().ToString("N")[..8];
        var first = (await hotline.RegisterAsync(CaseApi.NewCase(title: "旧数据：对接系统登记", channel: "Hotline", externalRef: reference))).Id();
        var second = (await hotline.RegisterAsync(CaseApi.NewCase(title: "旧数据：同号另一渠道", channel: "Petition"))).Id();
        var byPerson = await app.SharedClientAs("town").RegisterIdAsync(CaseApi.NewCase(title: "旧数据：人工填写的编号", channel: "Hotline"));

        // Back to the schema before the migration, and data only the old rules allowed: the same
        // integration's reference on another channel, and a reference typed by a person.
        await app.WithDbAsync(async db =>
        {
            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync("CaseFollowUpCount");
            await db.Database.ExecuteSqlAsync($"""UPDATE "Cases" SET "ExternalRef" = {reference} WHERE "Id" = {second}""");
            await db.Database.ExecuteSqlAsync($"""UPDATE "Cases" SET "ExternalRef" = {"PERSON-" + reference} WHERE "Id" = {byPerson}""");
            return 0;
        });
        await DatabaseSetup.MigrateAsync(app.Services);

        var sources = await app.WithDbAsync(db => db.Cases.Where(c => c.Id == first || c.Id == second || c.Id == byPerson)
            .ToDictionaryAsync(c => c.Id, c => c.SourceClientId));
        Assert.Equal(clientId, sources[first]);
        Assert.Null(sources[second]);
        Assert.Null(sources[byPerson]);

        // The integration's repeat still finds its case; the person's old reference blocks nobody.
        var again = await hotline.RegisterAsync(CaseApi.NewCase(title: "旧数据：对接系统登记", channel: "Hotline", externalRef: reference));
        Assert.Equal(first, again.Id());
        var fresh = await hotline.RegisterAsync(CaseApi.NewCase(title: "同号的新来电", channel: "Hotline", externalRef: "PERSON-" + reference));
        Assert.NotEqual(byPerson, fresh.Id());
    }
}

public sealed class ExternalRefPerApiClientMigrationTests_Sqlite(SqliteApp app) : ExternalRefPerApiClientMigrationTests(app), IClassFixture<SqliteApp>;

public sealed class ExternalRefPerApiClientMigrationTests_Postgres(PostgresApp app) : ExternalRefPerApiClientMigrationTests(app), IClassFixture<PostgresApp>;
