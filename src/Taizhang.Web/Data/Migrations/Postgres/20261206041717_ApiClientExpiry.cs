using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ApiClientExpiry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAt",
                table: "ApiClients",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "ApiClients");
        }
    }
}
