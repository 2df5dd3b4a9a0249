using Microsoft.EntityFrameworkCore.Migrations;

namespace Taizhang.Web.Data.Migrations;

/// <summary>
/// The hand-written part of the CitusReadySchema migration (both providers), apart from the generated
/// code so that the migration can be generated again: call <see cref="Backfill"/> right after the
/// migration's AddColumn calls (the new TownId columns are added as 0) and before its keys and foreign keys
/// (on SQLite also before the DropForeignKey of WeChatInbound, which rebuilds that table at the end).
/// SQL both providers accept (quoted names, correlated sub-selects on a primary key).
/// </summary>
public static class CitusReadySql
{
    public static void Backfill(MigrationBuilder migrationBuilder)
    {
        // A rating attempt is its case's; an imported row is its source's (a source belongs to one town).
        migrationBuilder.Sql("""
            UPDATE "RatingAttempts" SET "TownId" = (SELECT c."TownId" FROM "Cases" c WHERE c."Id" = "RatingAttempts"."CaseId");
            """);
        migrationBuilder.Sql("""
            UPDATE "ImportedRows" SET "TownId" = (SELECT s."TownId" FROM "ImportSources" s WHERE s."Id" = "ImportedRows"."SourceId");
            """);
    }
}
