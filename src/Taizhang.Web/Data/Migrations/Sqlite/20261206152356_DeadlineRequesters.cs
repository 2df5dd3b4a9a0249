using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeadlineRequesters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExtensionRequestedBy",
                table: "Cases",
                type: "TEXT",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SuspensionRequestedBy",
                table: "Cases",
                type: "TEXT",
                maxLength: 128,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite's own DROP COLUMN, not EF's table rebuild (which recreates the table without the indexes earlier migrations made).
            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "ExtensionRequestedBy";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "SuspensionRequestedBy";""");
        }
    }
}
