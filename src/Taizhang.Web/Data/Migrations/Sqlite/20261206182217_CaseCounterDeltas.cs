using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseCounterDeltas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CaseFactCountDeltas",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Satisfaction = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    OnTime = table.Column<bool>(type: "INTEGER", nullable: false),
                    Reopened = table.Column<bool>(type: "INTEGER", nullable: false),
                    FollowedUp = table.Column<bool>(type: "INTEGER", nullable: false),
                    Returned = table.Column<bool>(type: "INTEGER", nullable: false),
                    AssignedOnce = table.Column<bool>(type: "INTEGER", nullable: false),
                    ContactedInTime = table.Column<bool>(type: "INTEGER", nullable: false),
                    ResolvedByResident = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                });

            migrationBuilder.CreateTable(
                name: "CaseStatusCountDeltas",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "INTEGER", nullable: false),
                    OrgUnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaseFactCountDeltas_TownId_Month",
                table: "CaseFactCountDeltas",
                columns: new[] { "TownId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseStatusCountDeltas_TownId",
                table: "CaseStatusCountDeltas",
                column: "TownId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CaseFactCountDeltas");

            migrationBuilder.DropTable(
                name: "CaseStatusCountDeltas");
        }
    }
}
