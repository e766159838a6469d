using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JwtDevices.Server.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeviceSecurityStampHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "SecurityStampHash",
                table: "jwt_devices",
                type: "bytea",
                maxLength: 32,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SecurityStampHash",
                table: "jwt_devices");
        }
    }
}
