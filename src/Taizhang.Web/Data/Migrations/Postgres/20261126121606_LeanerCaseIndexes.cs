using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LeanerCaseIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AssigneeUnitId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MeetingId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MergedIntoId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_OrgUnitId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_AssigneeUnitId_Status",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_OrgUnitId_Status",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssigneeUnitId_Status",
                table: "Cases",
                columns: new[] { "AssigneeUnitId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MeetingId",
                table: "Cases",
                column: "MeetingId",
                filter: "\"MeetingId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MergedIntoId",
                table: "Cases",
                column: "MergedIntoId",
                filter: "\"MergedIntoId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_OrgUnitId_Status",
                table: "Cases",
                columns: new[] { "OrgUnitId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AssigneeUnitId_Status",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MeetingId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_MergedIntoId",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_OrgUnitId_Status",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssigneeUnitId",
                table: "Cases",
                column: "AssigneeUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MeetingId",
                table: "Cases",
                column: "MeetingId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_MergedIntoId",
                table: "Cases",
                column: "MergedIntoId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_OrgUnitId",
                table: "Cases",
                column: "OrgUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_AssigneeUnitId_Status",
                table: "Cases",
                columns: new[] { "TownId", "AssigneeUnitId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_OrgUnitId_Status",
                table: "Cases",
                columns: new[] { "TownId", "OrgUnitId", "Status" });
        }
    }
}
