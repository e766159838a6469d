using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace JwtDevices.Server.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DbscPublicKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DbscPublicKey",
                table: "jwt_devices",
                type: "character varying(2048)",
                maxLength: 2048,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DbscPublicKey",
                table: "jwt_devices");
        }
    }
}
