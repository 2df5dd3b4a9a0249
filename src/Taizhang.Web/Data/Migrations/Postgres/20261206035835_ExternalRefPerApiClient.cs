using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ExternalRefPerApiClient : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Channel_ExternalRef",
                table: "Cases");

            migrationBuilder.AddColumn<long>(
                name: "SourceClientId",
                table: "Cases",
                type: "bigint",
                nullable: true);

            // An external reference given before belonged to whoever registered the case: an integration's
            // (its Register event's actor) keeps it as that integration's; one typed by a person no longer
            // blocks anything. Under the old rule (per town and channel) one integration could hold the same
            // reference twice: the first registered keeps it.
            migrationBuilder.Sql("""
                UPDATE "Cases" SET "SourceClientId" = (
                    SELECT CAST(SUBSTR(e."ActorId", 8) AS BIGINT) FROM "CaseEvents" e
                    WHERE e."CaseId" = "Cases"."Id" AND e."Sequence" = 1 AND e."ActorKind" = 'ApiClient' AND e."ActorId" LIKE 'client:%')
                WHERE "ExternalRef" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "Cases" SET "SourceClientId" = NULL
                WHERE "SourceClientId" IS NOT NULL AND EXISTS (
                    SELECT 1 FROM "Cases" o
                    WHERE o."SourceClientId" = "Cases"."SourceClientId" AND o."ExternalRef" = "Cases"."ExternalRef" AND o."Id" < "Cases"."Id");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_SourceClientId_ExternalRef",
                table: "Cases",
                columns: new[] { "SourceClientId", "ExternalRef" },
                unique: true,
                filter: "\"ExternalRef\" IS NOT NULL AND \"SourceClientId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_SourceClientId_ExternalRef",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "SourceClientId",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Channel_ExternalRef",
                table: "Cases",
                columns: new[] { "TownId", "Channel", "ExternalRef" },
                unique: true,
                filter: "\"ExternalRef\" IS NOT NULL");
        }
    }
}
