using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseFullTextIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The full-text index (Data/SearchIndex.cs): the writers insert CaseGrams rows, a trigger feeds FTS5.
            // Cases already stored are indexed by SearchIndexBackfill after the start (a million in minutes, not in the migration).
            migrationBuilder.Sql("""
                CREATE TABLE "CaseGrams" (
                    "CaseId" INTEGER NOT NULL PRIMARY KEY REFERENCES "Cases" ("Id") ON DELETE CASCADE,
                    "TownId" INTEGER NOT NULL,
                    "Grams" TEXT NOT NULL
                );
                """);
            migrationBuilder.Sql(SearchIndex.SqliteTable);
            migrationBuilder.Sql(SearchIndex.SqliteInsertTrigger);
            migrationBuilder.Sql(SearchIndex.SqliteDeleteTrigger);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "CaseGrams_Unindex";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "CaseGrams_Index";""");
            migrationBuilder.Sql("""DROP TABLE "CaseSearch";""");
            migrationBuilder.Sql("""DROP TABLE "CaseGrams";""");
        }
    }
}
