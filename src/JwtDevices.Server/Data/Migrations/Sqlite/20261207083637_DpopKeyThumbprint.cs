using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JwtDevices.Server.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DpopKeyThumbprint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DpopKeyThumbprint",
                table: "jwt_devices",
                type: "TEXT",
                maxLength: 64,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DpopKeyThumbprint",
                table: "jwt_devices");
        }
    }
}
