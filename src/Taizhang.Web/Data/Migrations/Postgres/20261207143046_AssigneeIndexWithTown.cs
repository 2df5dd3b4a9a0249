using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AssigneeIndexWithTown : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AssigneeUnitId_Status_RegisteredAt",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssigneeUnitId_Status_RegisteredAt_TownId",
                table: "Cases",
                columns: new[] { "AssigneeUnitId", "Status", "RegisteredAt", "TownId" })
                .Annotation("Npgsql:IndexInclude", new[] { "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_AssigneeUnitId_Status_RegisteredAt_TownId",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_AssigneeUnitId_Status_RegisteredAt",
                table: "Cases",
                columns: new[] { "AssigneeUnitId", "Status", "RegisteredAt" });
        }
    }
}
