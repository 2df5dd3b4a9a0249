using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseSearchTexts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Text search reads this (CaseText); clustered by town so that one town's texts are contiguous.
            migrationBuilder.Sql("""
                CREATE TABLE "CaseTexts" (
                    "TownId" INTEGER NOT NULL,
                    "CaseId" INTEGER NOT NULL,
                    "Text" TEXT NOT NULL,
                    PRIMARY KEY ("TownId", "CaseId")
                ) WITHOUT ROWID;
                """);
            migrationBuilder.Sql("""
                INSERT INTO "CaseTexts" ("TownId", "CaseId", "Text")
                SELECT "TownId", "Id", "Title" || char(10) || "Description" FROM "Cases";
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Cases_CaseTexts_Insert" AFTER INSERT ON "Cases" BEGIN
                    INSERT INTO "CaseTexts" ("TownId", "CaseId", "Text") VALUES (new."TownId", new."Id", new."Title" || char(10) || new."Description");
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Cases_CaseTexts_Delete" AFTER DELETE ON "Cases" BEGIN
                    DELETE FROM "CaseTexts" WHERE "TownId" = old."TownId" AND "CaseId" = old."Id";
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Cases_CaseTexts_Delete";""");
            migrationBuilder.Sql("""DROP TRIGGER "Cases_CaseTexts_Insert";""");
            migrationBuilder.Sql("""DROP TABLE "CaseTexts";""");
        }
    }
}
