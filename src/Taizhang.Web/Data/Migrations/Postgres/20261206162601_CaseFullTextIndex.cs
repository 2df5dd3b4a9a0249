using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CaseFullTextIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The full-text index (Data/SearchIndex.cs): the writers insert CaseGrams rows; a trigger turns their
            // tokens (letters, digits, private-use marks: never a quote) into a tsvector with positions (phrases
            // need them), GIN-indexed, and keeps no text. Cases already stored are indexed by SearchIndexBackfill.
            migrationBuilder.Sql("""
                CREATE TABLE "CaseGrams" (
                    "CaseId" bigint NOT NULL PRIMARY KEY REFERENCES "Cases" ("Id") ON DELETE CASCADE,
                    "TownId" bigint NOT NULL,
                    "Grams" text NOT NULL,
                    "Vector" tsvector NOT NULL DEFAULT ''::tsvector
                );
                """);
            migrationBuilder.Sql("""
                CREATE FUNCTION taizhang_case_grams() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW."Vector" := COALESCE((
                        SELECT string_agg('''' || replace(t, '''', '''''') || ''':' || least(n, 16383), ' ')
                        FROM unnest(string_to_array(NEW."Grams", ' ')) WITH ORDINALITY AS u(t, n)
                        WHERE t <> '')::tsvector, ''::tsvector);
                    NEW."Grams" := '';
                    RETURN NEW;
                END
                $$;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "CaseGrams_Vector" BEFORE INSERT ON "CaseGrams"
                FOR EACH ROW EXECUTE FUNCTION taizhang_case_grams();
                """);
            migrationBuilder.Sql("""CREATE INDEX "IX_CaseGrams_Vector" ON "CaseGrams" USING gin ("Vector");""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TABLE "CaseGrams";""");
            migrationBuilder.Sql("""DROP FUNCTION taizhang_case_grams();""");
        }
    }
}
