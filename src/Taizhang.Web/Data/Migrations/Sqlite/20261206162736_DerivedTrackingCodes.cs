using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DerivedTrackingCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_TrackingCode",
                table: "Cases");

            migrationBuilder.CreateTable(
                name: "LegacyTrackingCodes",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    TownId = table.Column<long>(type: "INTEGER", nullable: false),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegacyTrackingCodes", x => x.Code);
                    table.ForeignKey(
                        name: "FK_LegacyTrackingCodes_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // The random codes residents already hold keep working: every existing case's code moves here, and a
            // look-up comes here when decoding a code (TrackingCodes.ToId) finds no case with it. Empty on a fresh install.
            migrationBuilder.Sql("""
                INSERT INTO "LegacyTrackingCodes" ("Code", "TownId", "CaseId")
                SELECT "TrackingCode", "TownId", "Id" FROM "Cases";
                """);

            migrationBuilder.CreateIndex(
                name: "IX_LegacyTrackingCodes_CaseId",
                table: "LegacyTrackingCodes",
                column: "CaseId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LegacyTrackingCodes");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TrackingCode",
                table: "Cases",
                column: "TrackingCode",
                unique: true);
        }
    }
}
