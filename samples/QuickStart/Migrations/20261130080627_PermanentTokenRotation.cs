using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace QuickStart.Migrations
{
    /// <inheritdoc />
    public partial class PermanentTokenRotation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "PermanentTokenGeneration",
                table: "jwt_devices",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "PermanentTokenReplaced",
                table: "jwt_devices",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "PreviousPermanentTokenHash",
                table: "jwt_devices",
                type: "BLOB",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_jwt_devices_Created",
                table: "jwt_devices",
                column: "Created");

            migrationBuilder.CreateIndex(
                name: "IX_jwt_devices_PreviousPermanentTokenHash",
                table: "jwt_devices",
                column: "PreviousPermanentTokenHash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_jwt_devices_Created",
                table: "jwt_devices");

            migrationBuilder.DropIndex(
                name: "IX_jwt_devices_PreviousPermanentTokenHash",
                table: "jwt_devices");

            migrationBuilder.DropColumn(
                name: "PermanentTokenGeneration",
                table: "jwt_devices");

            migrationBuilder.DropColumn(
                name: "PermanentTokenReplaced",
                table: "jwt_devices");

            migrationBuilder.DropColumn(
                name: "PreviousPermanentTokenHash",
                table: "jwt_devices");
        }
    }
}
