using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class IntakeKeysPerTown : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_Channel_ExternalRef",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_IdempotencyKey",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Channel_ExternalRef",
                table: "Cases",
                columns: new[] { "TownId", "Channel", "ExternalRef" },
                unique: true,
                filter: "\"ExternalRef\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_IdempotencyKey",
                table: "Cases",
                columns: new[] { "TownId", "IdempotencyKey" },
                unique: true,
                filter: "\"IdempotencyKey\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Channel_ExternalRef",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_IdempotencyKey",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Channel_ExternalRef",
                table: "Cases",
                columns: new[] { "Channel", "ExternalRef" },
                unique: true,
                filter: "\"ExternalRef\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_IdempotencyKey",
                table: "Cases",
                column: "IdempotencyKey",
                unique: true,
                filter: "\"IdempotencyKey\" IS NOT NULL");
        }
    }
}
