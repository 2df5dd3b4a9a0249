using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReportBreakdownCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Details",
                table: "ClosedPeriodFigures",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CaseBreakdownCountDeltas",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    Dimension = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Registered = table.Column<long>(type: "INTEGER", nullable: false),
                    Accepted = table.Column<long>(type: "INTEGER", nullable: false),
                    Handled = table.Column<long>(type: "INTEGER", nullable: false),
                    Solved = table.Column<long>(type: "INTEGER", nullable: false),
                    OnTime = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolvedOnce = table.Column<long>(type: "INTEGER", nullable: false),
                    FollowedUp = table.Column<long>(type: "INTEGER", nullable: false),
                    Satisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    FullySatisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    BasicallySatisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    Responded = table.Column<long>(type: "INTEGER", nullable: false),
                    AssignedOnce = table.Column<long>(type: "INTEGER", nullable: false),
                    Returned = table.Column<long>(type: "INTEGER", nullable: false),
                    Redone = table.Column<long>(type: "INTEGER", nullable: false),
                    FollowedUpResponded = table.Column<long>(type: "INTEGER", nullable: false),
                    ResidentSolved = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                });

            migrationBuilder.CreateTable(
                name: "CaseBreakdownCounts",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    Dimension = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Registered = table.Column<long>(type: "INTEGER", nullable: false),
                    Accepted = table.Column<long>(type: "INTEGER", nullable: false),
                    Handled = table.Column<long>(type: "INTEGER", nullable: false),
                    Solved = table.Column<long>(type: "INTEGER", nullable: false),
                    OnTime = table.Column<long>(type: "INTEGER", nullable: false),
                    ResolvedOnce = table.Column<long>(type: "INTEGER", nullable: false),
                    FollowedUp = table.Column<long>(type: "INTEGER", nullable: false),
                    Satisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    FullySatisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    BasicallySatisfied = table.Column<long>(type: "INTEGER", nullable: false),
                    Responded = table.Column<long>(type: "INTEGER", nullable: false),
                    AssignedOnce = table.Column<long>(type: "INTEGER", nullable: false),
                    Returned = table.Column<long>(type: "INTEGER", nullable: false),
                    Redone = table.Column<long>(type: "INTEGER", nullable: false),
                    FollowedUpResponded = table.Column<long>(type: "INTEGER", nullable: false),
                    ResidentSolved = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseBreakdownCounts", x => new { x.TownId, x.Month, x.Dimension, x.Value });
                });

            migrationBuilder.CreateTable(
                name: "CaseUnitEventCountDeltas",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                });

            migrationBuilder.CreateTable(
                name: "CaseUnitEventCounts",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "INTEGER", nullable: false),
                    Month = table.Column<int>(type: "INTEGER", nullable: false),
                    UnitId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseUnitEventCounts", x => new { x.TownId, x.Month, x.UnitId, x.Kind });
                });

            migrationBuilder.CreateIndex(
                name: "IX_CaseBreakdownCountDeltas_TownId_Month",
                table: "CaseBreakdownCountDeltas",
                columns: new[] { "TownId", "Month" });

            migrationBuilder.CreateIndex(
                name: "IX_CaseUnitEventCountDeltas_TownId_Month",
                table: "CaseUnitEventCountDeltas",
                columns: new[] { "TownId", "Month" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The counters' triggers (created at start, CaseCounterSql.EnsureAsync) write to these tables: drop them, so the older
            // app recreates its own at the next start and recounts.
            var zone = System.TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
            migrationBuilder.Sql(Taizhang.Web.Data.CaseCounterSql.DropSqliteCaseTriggers(zone)
                + $"DROP TRIGGER IF EXISTS \"{Taizhang.Web.Data.CaseCounterSql.EventsTriggerName(true, zone)}\";");
            migrationBuilder.DropTable(
                name: "CaseBreakdownCountDeltas");

            migrationBuilder.DropTable(
                name: "CaseBreakdownCounts");

            migrationBuilder.DropTable(
                name: "CaseUnitEventCountDeltas");

            migrationBuilder.DropTable(
                name: "CaseUnitEventCounts");

            migrationBuilder.DropColumn(
                name: "Details",
                table: "ClosedPeriodFigures");
        }
    }
}
