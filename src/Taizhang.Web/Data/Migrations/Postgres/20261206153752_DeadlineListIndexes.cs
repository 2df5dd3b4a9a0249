using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeadlineListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Cases_ExtensionRequestedDueAt",
                table: "Cases",
                column: "ExtensionRequestedDueAt",
                filter: "\"ExtensionRequestedDueAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_SupervisionLevel",
                table: "Cases",
                column: "SupervisionLevel",
                filter: "\"SupervisionLevel\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_SuspendedAt",
                table: "Cases",
                column: "SuspendedAt",
                filter: "\"SuspendedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_SuspensionRequestedAt",
                table: "Cases",
                column: "SuspensionRequestedAt",
                filter: "\"SuspensionRequestedAt\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_ExtensionRequestedDueAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_SupervisionLevel",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_SuspendedAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_SuspensionRequestedAt",
                table: "Cases");
        }
    }
}
