using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Taizhang.Web.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SignInFailures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SignInFailures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<long>(type: "INTEGER", nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Throttled = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignInFailures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SignInFailures_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SignInFailures_Address_At",
                table: "SignInFailures",
                columns: new[] { "Address", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_SignInFailures_At",
                table: "SignInFailures",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_SignInFailures_UserId_At",
                table: "SignInFailures",
                columns: new[] { "UserId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SignInFailures");
        }
    }
}
