using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QuickStart.Migrations
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
                type: "BLOB",
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
