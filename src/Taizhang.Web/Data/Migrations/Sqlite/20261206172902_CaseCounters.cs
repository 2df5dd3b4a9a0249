using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CaseCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Status_DueAt",
                table: "Cases");

            migrationBuilder.CreateTable(
                name: "CaseFactCounts",
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
                    table.PrimaryKey("PK_CaseFactCounts", x => new { x.TownId, x.Month, x.Status, x.Outcome, x.Satisfaction, x.OnTime, x.Reopened, x.FollowedUp, x.Returned, x.AssignedOnce, x.ContactedInTime, x.ResolvedByResident });
                });

            migrationBuilder.CreateTable(
                name: "CaseStatusCounts",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "INTEGER", nullable: false),
                    OrgUnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseStatusCounts", x => new { x.TownId, x.OrgUnitId, x.Status });
                });

            migrationBuilder.CreateTable(
                name: "ClosedPeriodFigures",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "INTEGER", nullable: false),
                    From = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    To = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Figures = table.Column<string>(type: "TEXT", nullable: false),
                    ComputedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ClosedPeriodFigures", x => new { x.TownId, x.From, x.To });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_PendingRequest",
                table: "Cases",
                column: "TownId",
                filter: "\"ExtensionRequestedDueAt\" IS NOT NULL OR \"SuspensionRequestedAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Status_DueAt_SuspendedAt",
                table: "Cases",
                columns: new[] { "TownId", "Status", "DueAt", "SuspendedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The triggers are created at start (CaseCounterSql.EnsureAsync), named for the version and zone: the default zone's.
            migrationBuilder.Sql(Taizhang.Web.Data.CaseCounterSql.DropSqliteCaseTriggers(System.TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")));
            migrationBuilder.DropTable(
                name: "CaseFactCounts");

            migrationBuilder.DropTable(
                name: "CaseStatusCounts");

            migrationBuilder.DropTable(
                name: "ClosedPeriodFigures");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_PendingRequest",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_TownId_Status_DueAt_SuspendedAt",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_TownId_Status_DueAt",
                table: "Cases",
                columns: new[] { "TownId", "Status", "DueAt" });
        }
    }
}
