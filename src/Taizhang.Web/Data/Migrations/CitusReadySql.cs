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

    /// <summary>
    /// PostgreSQL: the full-text index table is made by hand (CaseFullTextIndex), so its key and its foreign key
    /// to "Cases" are changed by hand too: dropped before the cases' primary key moves to (Id, TownId)
    /// (<see cref="Data.TownDistribution"/>), and made again on (CaseId, TownId) after.
    /// </summary>
    public static void DetachCaseGrams(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        ALTER TABLE "CaseGrams" DROP CONSTRAINT IF EXISTS "CaseGrams_CaseId_fkey";
        ALTER TABLE "CaseGrams" DROP CONSTRAINT IF EXISTS "CaseGrams_pkey";
        ALTER TABLE "CaseGrams" DROP CONSTRAINT IF EXISTS "PK_CaseGrams";
        ALTER TABLE "CaseGrams" DROP CONSTRAINT IF EXISTS "FK_CaseGrams_Cases";
        """);

    public static void AttachCaseGramsByTown(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        ALTER TABLE "CaseGrams" ADD CONSTRAINT "PK_CaseGrams" PRIMARY KEY ("CaseId", "TownId");
        ALTER TABLE "CaseGrams" ADD CONSTRAINT "FK_CaseGrams_Cases" FOREIGN KEY ("CaseId", "TownId")
            REFERENCES "Cases" ("Id", "TownId") ON DELETE CASCADE;
        """);

    public static void AttachCaseGramsById(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("""
        ALTER TABLE "CaseGrams" ADD CONSTRAINT "PK_CaseGrams" PRIMARY KEY ("CaseId");
        ALTER TABLE "CaseGrams" ADD CONSTRAINT "FK_CaseGrams_Cases" FOREIGN KEY ("CaseId")
            REFERENCES "Cases" ("Id") ON DELETE CASCADE;
        """);
}
