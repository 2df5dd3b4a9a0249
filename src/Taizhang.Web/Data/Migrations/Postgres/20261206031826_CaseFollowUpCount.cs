using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CaseFollowUpCount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "FollowUpCount",
                table: "Cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Cases followed up before the column existed: their return visits are in the timeline.
            migrationBuilder.Sql("""
                UPDATE "Cases" SET "FollowUpCount" =
                    (SELECT COUNT(*) FROM "CaseEvents" e WHERE e."CaseId" = "Cases"."Id" AND e."Action" = 'FollowUp')
                WHERE "Id" IN (SELECT "CaseId" FROM "CaseEvents" WHERE "Action" = 'FollowUp');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FollowUpCount",
                table: "Cases");
        }
    }
}
