using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReportIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Meetings_OrgUnitId_HeldAt",
                table: "Meetings");

            migrationBuilder.DropIndex(
                name: "IX_Meetings_TownId_HeldAt",
                table: "Meetings");

            migrationBuilder.CreateIndex(
                name: "IX_Meetings_OrgUnitId_HeldAt_Status_Kind",
                table: "Meetings",
                columns: new[] { "OrgUnitId", "HeldAt", "Status", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_Meetings_TownId_HeldAt_Status_Kind",
                table: "Meetings",
                columns: new[] { "TownId", "HeldAt", "Status", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Merged_TownId_CategoryId_RegisteredAt",
                table: "Cases",
                columns: new[] { "TownId", "CategoryId", "RegisteredAt" },
                filter: "\"Status\" = 'Merged'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Meetings_OrgUnitId_HeldAt_Status_Kind",
                table: "Meetings");

            migrationBuilder.DropIndex(
                name: "IX_Meetings_TownId_HeldAt_Status_Kind",
                table: "Meetings");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Merged_TownId_CategoryId_RegisteredAt",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Meetings_OrgUnitId_HeldAt",
                table: "Meetings",
                columns: new[] { "OrgUnitId", "HeldAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Meetings_TownId_HeldAt",
                table: "Meetings",
                columns: new[] { "TownId", "HeldAt" });
        }
    }
}
