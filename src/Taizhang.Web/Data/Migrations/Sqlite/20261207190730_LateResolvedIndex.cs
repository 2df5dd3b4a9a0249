using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LateResolvedIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Cases_Late_TownId_RegisteredAt",
                table: "Cases",
                columns: new[] { "TownId", "RegisteredAt" },
                filter: "\"ResolvedAt\" IS NOT NULL AND \"ResolvedAt\" >= \"DueAt\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_Late_TownId_RegisteredAt",
                table: "Cases");
        }
    }
}
