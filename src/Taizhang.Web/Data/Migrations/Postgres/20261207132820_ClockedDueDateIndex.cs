using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ClockedDueDateIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "Cases")
                .Annotation("Npgsql:StorageParameter:autovacuum_analyze_scale_factor", 0.02)
                .Annotation("Npgsql:StorageParameter:autovacuum_vacuum_insert_scale_factor", 0.01)
                .Annotation("Npgsql:StorageParameter:autovacuum_vacuum_scale_factor", 0.01);

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Clocked_TownId_DueAt",
                table: "Cases",
                columns: new[] { "TownId", "DueAt", "Id" },
                filter: "\"Status\" IN ('Registered', 'Triaged', 'Returned', 'Assigned', 'InProgress', 'Reopened', 'Planned') AND \"SuspendedAt\" IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_Clocked_TownId_DueAt",
                table: "Cases");

            migrationBuilder.AlterTable(
                name: "Cases")
                .OldAnnotation("Npgsql:StorageParameter:autovacuum_analyze_scale_factor", 0.02)
                .OldAnnotation("Npgsql:StorageParameter:autovacuum_vacuum_insert_scale_factor", 0.01)
                .OldAnnotation("Npgsql:StorageParameter:autovacuum_vacuum_scale_factor", 0.01);
        }
    }
}
