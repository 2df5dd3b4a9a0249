using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RemindedIndexWithRegisteredAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Status_Reminded",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Status_Reminded",
                table: "Cases",
                columns: new[] { "TownId", "Status", "RegisteredAt" },
                filter: "\"ReminderCount\" > 0 OR \"NoticeCount\" > 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Status_Reminded",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Status_Reminded",
                table: "Cases",
                columns: new[] { "TownId", "Status" },
                filter: "\"ReminderCount\" > 0 OR \"NoticeCount\" > 0");
        }
    }
}
