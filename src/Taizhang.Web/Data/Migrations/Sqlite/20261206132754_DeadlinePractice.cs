using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeadlinePractice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "AutoNoticedDueAt",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AutoRemindedDueAt",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ContactedAt",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ContactedInTime",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "ExtensionCount",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExtensionRequestedDueAt",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastRemindedAt",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "NoticeCount",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ReminderCount",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "ResolvedByResident",
                table: "Cases",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReturnCount",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "SupervisionDueAt",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SupervisionLevel",
                table: "Cases",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SuspendedAt",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SuspendedSeconds",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "SuspensionCount",
                table: "Cases",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SuspensionReason",
                table: "Cases",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SuspensionRequestedAt",
                table: "Cases",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "UnitId",
                table: "CaseEvents",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_CaseEvents_UnitId_Action_At",
                table: "CaseEvents",
                columns: new[] { "UnitId", "Action", "At" },
                filter: "\"UnitId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite's own DROP COLUMN, not EF's table rebuild (which recreates the table without the indexes earlier migrations made).
            migrationBuilder.DropIndex(
                name: "IX_CaseEvents_UnitId_Action_At",
                table: "CaseEvents");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "AutoNoticedDueAt";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "AutoRemindedDueAt";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "ContactedAt";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "ContactedInTime";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "ExtensionCount";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "ExtensionRequestedDueAt";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "LastRemindedAt";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "NoticeCount";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "ReminderCount";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "ResolvedByResident";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "ReturnCount";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "SupervisionDueAt";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "SupervisionLevel";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "SuspendedAt";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "SuspendedSeconds";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "SuspensionCount";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "SuspensionReason";""");

            migrationBuilder.Sql("""ALTER TABLE "Cases" DROP COLUMN "SuspensionRequestedAt";""");

            migrationBuilder.Sql("""ALTER TABLE "CaseEvents" DROP COLUMN "UnitId";""");
        }
    }
}
