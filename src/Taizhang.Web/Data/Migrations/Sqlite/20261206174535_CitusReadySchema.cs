using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CitusReadySchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "TownId",
                table: "RatingAttempts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "TownId",
                table: "ImportedRows",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            // Hand-written: the new TownId columns from their owners (Data/Migrations/CitusReadySql.cs).
            CitusReadySql.Backfill(migrationBuilder);

            migrationBuilder.DropForeignKey(
                name: "FK_WeChatInbound_Cases_CaseId",
                table: "WeChatInbound");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TownId",
                table: "RatingAttempts");

            migrationBuilder.DropColumn(
                name: "TownId",
                table: "ImportedRows");

            migrationBuilder.AddForeignKey(
                name: "FK_WeChatInbound_Cases_CaseId",
                table: "WeChatInbound",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
