using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
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
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AutoRemindedDueAt",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ContactedAt",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ContactedInTime",
                table: "Cases",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "ExtensionCount",
                table: "Cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExtensionRequestedDueAt",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastRemindedAt",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "NoticeCount",
                table: "Cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ReminderCount",
                table: "Cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "ResolvedByResident",
                table: "Cases",
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReturnCount",
                table: "Cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "SupervisionDueAt",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SupervisionLevel",
                table: "Cases",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SuspendedAt",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "SuspendedSeconds",
                table: "Cases",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "SuspensionCount",
                table: "Cases",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SuspensionReason",
                table: "Cases",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "SuspensionRequestedAt",
                table: "Cases",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "UnitId",
                table: "CaseEvents",
                type: "bigint",
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
            migrationBuilder.DropIndex(
                name: "IX_CaseEvents_UnitId_Action_At",
                table: "CaseEvents");

            migrationBuilder.DropColumn(
                name: "AutoNoticedDueAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "AutoRemindedDueAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ContactedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ContactedInTime",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ExtensionCount",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ExtensionRequestedDueAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "LastRemindedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "NoticeCount",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ReminderCount",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ResolvedByResident",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "ReturnCount",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "SupervisionDueAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "SupervisionLevel",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "SuspendedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "SuspendedSeconds",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "SuspensionCount",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "SuspensionReason",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "SuspensionRequestedAt",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "UnitId",
                table: "CaseEvents");
        }
    }
}
