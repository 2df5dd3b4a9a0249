using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class StatusIndexIncludesId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Status_DueAt_SuspendedAt_RegisteredAt",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Status_DueAt_SuspendedAt_RegisteredAt",
                table: "Cases",
                columns: new[] { "TownId", "Status", "DueAt", "SuspendedAt", "RegisteredAt" })
                .Annotation("Npgsql:IndexInclude", new[] { "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Status_DueAt_SuspendedAt_RegisteredAt",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Status_DueAt_SuspendedAt_RegisteredAt",
                table: "Cases",
                columns: new[] { "TownId", "Status", "DueAt", "SuspendedAt", "RegisteredAt" });
        }
    }
}
