using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
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
                type: "text",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "CaseBreakdownCountDeltas",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "bigint", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    Dimension = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Value = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Registered = table.Column<long>(type: "bigint", nullable: false),
                    Accepted = table.Column<long>(type: "bigint", nullable: false),
                    Handled = table.Column<long>(type: "bigint", nullable: false),
                    Solved = table.Column<long>(type: "bigint", nullable: false),
                    OnTime = table.Column<long>(type: "bigint", nullable: false),
                    ResolvedOnce = table.Column<long>(type: "bigint", nullable: false),
                    FollowedUp = table.Column<long>(type: "bigint", nullable: false),
                    Satisfied = table.Column<long>(type: "bigint", nullable: false),
                    FullySatisfied = table.Column<long>(type: "bigint", nullable: false),
                    BasicallySatisfied = table.Column<long>(type: "bigint", nullable: false),
                    Responded = table.Column<long>(type: "bigint", nullable: false),
                    AssignedOnce = table.Column<long>(type: "bigint", nullable: false),
                    Returned = table.Column<long>(type: "bigint", nullable: false),
                    Redone = table.Column<long>(type: "bigint", nullable: false),
                    FollowedUpResponded = table.Column<long>(type: "bigint", nullable: false),
                    ResidentSolved = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                });

            migrationBuilder.CreateTable(
                name: "CaseBreakdownCounts",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "bigint", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    Dimension = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Value = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Registered = table.Column<long>(type: "bigint", nullable: false),
                    Accepted = table.Column<long>(type: "bigint", nullable: false),
                    Handled = table.Column<long>(type: "bigint", nullable: false),
                    Solved = table.Column<long>(type: "bigint", nullable: false),
                    OnTime = table.Column<long>(type: "bigint", nullable: false),
                    ResolvedOnce = table.Column<long>(type: "bigint", nullable: false),
                    FollowedUp = table.Column<long>(type: "bigint", nullable: false),
                    Satisfied = table.Column<long>(type: "bigint", nullable: false),
                    FullySatisfied = table.Column<long>(type: "bigint", nullable: false),
                    BasicallySatisfied = table.Column<long>(type: "bigint", nullable: false),
                    Responded = table.Column<long>(type: "bigint", nullable: false),
                    AssignedOnce = table.Column<long>(type: "bigint", nullable: false),
                    Returned = table.Column<long>(type: "bigint", nullable: false),
                    Redone = table.Column<long>(type: "bigint", nullable: false),
                    FollowedUpResponded = table.Column<long>(type: "bigint", nullable: false),
                    ResidentSolved = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseBreakdownCounts", x => new { x.TownId, x.Month, x.Dimension, x.Value });
                });

            migrationBuilder.CreateTable(
                name: "CaseUnitEventCountDeltas",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "bigint", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                });

            migrationBuilder.CreateTable(
                name: "CaseUnitEventCounts",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "bigint", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    UnitId = table.Column<long>(type: "bigint", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
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
            migrationBuilder.Sql("""
                DO $$ DECLARE t text; BEGIN
                    FOR t IN SELECT format('DROP TRIGGER %I ON %s', tgname, tgrelid::regclass) FROM pg_trigger
                        WHERE tgname LIKE 'Cases\_Counters\_%' OR tgname LIKE 'CaseEvents\_Counters\_%' LOOP
                        EXECUTE t;
                    END LOOP;
                END $$;
                """);
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
