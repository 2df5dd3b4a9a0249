using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <summary>The kind counters (CaseKindCount): a county's channel, urgency and track totals without counting the cases.</summary>
    public partial class CaseKindCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CaseKindCountDeltas",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "INTEGER", nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Urgency = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Track = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                });

            // WITHOUT ROWID like the other counter tables (CounterTablesWithoutRowid): stored in its key's order. The counter
            // triggers that write to it are created at the next start (CaseCounterSql version 5), which recounts.
            migrationBuilder.Sql("""
                CREATE TABLE "CaseKindCounts" (
                    "TownId" INTEGER NOT NULL,
                    "Channel" TEXT NOT NULL,
                    "Urgency" TEXT NOT NULL,
                    "Track" TEXT NOT NULL,
                    "Count" INTEGER NOT NULL,
                    CONSTRAINT "PK_CaseKindCounts" PRIMARY KEY ("TownId", "Channel", "Urgency", "Track")
                ) WITHOUT ROWID;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_CaseKindCountDeltas_TownId",
                table: "CaseKindCountDeltas",
                column: "TownId");
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
                name: "CaseKindCountDeltas");

            migrationBuilder.DropTable(
                name: "CaseKindCounts");
        }
    }
}
