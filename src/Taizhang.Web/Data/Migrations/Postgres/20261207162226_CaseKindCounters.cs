using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
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
                    TownId = table.Column<long>(type: "bigint", nullable: false),
                    Channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Urgency = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Track = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                });

            migrationBuilder.CreateTable(
                name: "CaseKindCounts",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "bigint", nullable: false),
                    Channel = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Urgency = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Track = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CaseKindCounts", x => new { x.TownId, x.Channel, x.Urgency, x.Track });
                });

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
            migrationBuilder.Sql("""
                DO $$ DECLARE t text; BEGIN
                    FOR t IN SELECT format('DROP TRIGGER %I ON %s', tgname, tgrelid::regclass) FROM pg_trigger
                        WHERE tgname LIKE 'Cases\_Counters\_%' OR tgname LIKE 'CaseEvents\_Counters\_%' LOOP
                        EXECUTE t;
                    END LOOP;
                END $$;
                """);
            migrationBuilder.DropTable(
                name: "CaseKindCountDeltas");

            migrationBuilder.DropTable(
                name: "CaseKindCounts");
        }
    }
}
