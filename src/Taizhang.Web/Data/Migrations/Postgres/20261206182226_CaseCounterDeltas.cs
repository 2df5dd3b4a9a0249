using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
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
                    TownId = table.Column<long>(type: "bigint", nullable: false),
                    Month = table.Column<int>(type: "integer", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Outcome = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Satisfaction = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    OnTime = table.Column<bool>(type: "boolean", nullable: false),
                    Reopened = table.Column<bool>(type: "boolean", nullable: false),
                    FollowedUp = table.Column<bool>(type: "boolean", nullable: false),
                    Returned = table.Column<bool>(type: "boolean", nullable: false),
                    AssignedOnce = table.Column<bool>(type: "boolean", nullable: false),
                    ContactedInTime = table.Column<bool>(type: "boolean", nullable: false),
                    ResolvedByResident = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                });

            migrationBuilder.CreateTable(
                name: "CaseStatusCountDeltas",
                columns: table => new
                {
                    TownId = table.Column<long>(type: "bigint", nullable: false),
                    OrgUnitId = table.Column<long>(type: "bigint", nullable: false),
                    Status = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Count = table.Column<long>(type: "bigint", nullable: false)
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
            // The counters' triggers (version 2) append to these tables: drop them, so the older app recreates
            // its own at the next start and recounts (CaseCounterSql.EnsureAsync).
            migrationBuilder.Sql("""
                DO $$ DECLARE t text; BEGIN
                    FOR t IN SELECT tgname FROM pg_trigger WHERE tgname LIKE 'Cases\_Counters\_%' LOOP
                        EXECUTE format('DROP TRIGGER %I ON "Cases"', t);
                    END LOOP;
                END $$;
                """);
            migrationBuilder.DropTable(
                name: "CaseFactCountDeltas");

            migrationBuilder.DropTable(
                name: "CaseStatusCountDeltas");
        }
    }
}
