using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CaseSearchTexts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Text search reads this (CaseText), kept by a trigger on every insert into Cases.
            migrationBuilder.Sql("""
                CREATE TABLE "CaseTexts" (
                    "TownId" bigint NOT NULL,
                    "CaseId" bigint NOT NULL,
                    "Text" text NOT NULL,
                    PRIMARY KEY ("TownId", "CaseId")
                );
                """);
            migrationBuilder.Sql("""
                INSERT INTO "CaseTexts" ("TownId", "CaseId", "Text")
                SELECT "TownId", "Id", "Title" || E'\n' || "Description" FROM "Cases";
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION taizhang_case_texts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        INSERT INTO "CaseTexts" ("TownId", "CaseId", "Text") VALUES (NEW."TownId", NEW."Id", NEW."Title" || E'\n' || NEW."Description");
                        RETURN NEW;
                    END IF;
                    DELETE FROM "CaseTexts" WHERE "TownId" = OLD."TownId" AND "CaseId" = OLD."Id";
                    RETURN OLD;
                END
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "Cases_CaseTexts" AFTER INSERT OR DELETE ON "Cases"
                FOR EACH ROW EXECUTE FUNCTION taizhang_case_texts();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER "Cases_CaseTexts" ON "Cases";""");
            migrationBuilder.Sql("""DROP FUNCTION taizhang_case_texts();""");
            migrationBuilder.Sql("""DROP TABLE "CaseTexts";""");
        }
    }
}
