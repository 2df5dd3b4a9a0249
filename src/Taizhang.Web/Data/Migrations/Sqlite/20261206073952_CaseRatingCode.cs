using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseRatingCode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RatingCodeHash",
                table: "Cases",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite's own DROP COLUMN: EF Core's DropColumn rebuilds the table, which would drop the
            // text-search triggers.
            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "RatingCodeHash";""");
        }
    }
}
