using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
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
                type: "TEXT",
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
