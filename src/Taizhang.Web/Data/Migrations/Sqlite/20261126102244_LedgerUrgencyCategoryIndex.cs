using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LedgerUrgencyCategoryIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Urgency",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Urgency_CategoryId",
                table: "Cases",
                columns: new[] { "TownId", "Urgency", "CategoryId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Urgency_CategoryId",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Urgency",
                table: "Cases",
                columns: new[] { "TownId", "Urgency" });
        }
    }
}
