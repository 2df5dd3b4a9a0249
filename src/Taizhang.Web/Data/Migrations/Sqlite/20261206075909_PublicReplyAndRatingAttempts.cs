using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PublicReplyAndRatingAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PublicReply",
                table: "Cases",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "RatingAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CaseId = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RatingAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RatingAttempts_Cases_CaseId",
                        column: x => x.CaseId,
                        principalTable: "Cases",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RatingAttempts_CaseId_At",
                table: "RatingAttempts",
                columns: new[] { "CaseId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RatingAttempts");

            // A plain DROP COLUMN: a table rebuild would drop the Cases' text-search triggers.
            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "PublicReply";""");
        }
    }
}
