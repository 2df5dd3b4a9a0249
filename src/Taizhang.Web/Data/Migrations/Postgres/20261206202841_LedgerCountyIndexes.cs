using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LedgerCountyIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AssigneeUnitId_Status",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Channel",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Urgency_CategoryId",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssigneeUnitId_Status_RegisteredAt",
                table: "Cases",
                columns: new[] { "AssigneeUnitId", "Status", "RegisteredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Channel_RegisteredAt",
                table: "Cases",
                columns: new[] { "TownId", "Channel", "RegisteredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Outcome_RegisteredAt",
                table: "Cases",
                columns: new[] { "TownId", "Outcome", "RegisteredAt" },
                filter: "\"Outcome\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Satisfaction_RegisteredAt",
                table: "Cases",
                columns: new[] { "TownId", "Satisfaction", "RegisteredAt" },
                filter: "\"Satisfaction\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Status_Reminded",
                table: "Cases",
                columns: new[] { "TownId", "Status" },
                filter: "\"ReminderCount\" > 0 OR \"NoticeCount\" > 0");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Urgency_CategoryId_RegisteredAt",
                table: "Cases",
                columns: new[] { "TownId", "Urgency", "CategoryId", "RegisteredAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AssigneeUnitId_Status_RegisteredAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Channel_RegisteredAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Outcome_RegisteredAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Satisfaction_RegisteredAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Status_Reminded",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Urgency_CategoryId_RegisteredAt",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssigneeUnitId_Status",
                table: "Cases",
                columns: new[] { "AssigneeUnitId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Channel",
                table: "Cases",
                columns: new[] { "TownId", "Channel" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Urgency_CategoryId",
                table: "Cases",
                columns: new[] { "TownId", "Urgency", "CategoryId" });
        }
    }
}
