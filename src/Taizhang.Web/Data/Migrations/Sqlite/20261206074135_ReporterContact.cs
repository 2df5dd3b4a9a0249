using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReporterContact : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "ContactConsent",
                table: "CaseReporters",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "WeChatOpenId",
                table: "CaseReporters",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite's own DROP COLUMN (EF Core's DropColumn is not supported by SQLite's migrations here).
            migrationBuilder.Sql("""ALTER TABLE "CaseReporters" DROP COLUMN "ContactConsent";""");
            migrationBuilder.Sql("""ALTER TABLE "CaseReporters" DROP COLUMN "WeChatOpenId";""");
        }
    }
}
