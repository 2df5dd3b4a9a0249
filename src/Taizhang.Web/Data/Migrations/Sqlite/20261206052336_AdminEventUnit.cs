using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AdminEventUnit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "OrgUnitId",
                table: "AdminEvents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_AdminEvents_OrgUnitId",
                table: "AdminEvents",
                column: "OrgUnitId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AdminEvents_OrgUnitId",
                table: "AdminEvents");

            // SQLite's own DROP COLUMN: EF Core's DropColumn rebuilds the table.
            migrationBuilder.Sql("""ALTER TABLE "AdminEvents" DROP COLUMN "OrgUnitId";""");
        }
    }
}
