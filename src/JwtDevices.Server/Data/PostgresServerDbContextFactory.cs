using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JwtDevices.Server.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add NAME --context PostgresServerDbContext --output-dir Data/Migrations/Postgres</c>
/// build the model without starting the server. It connects to nothing.
/// </summary>
internal sealed class PostgresServerDbContextFactory : IDesignTimeDbContextFactory<PostgresServerDbContext>
{
    public PostgresServerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresServerDbContext>().UseNpgsql("Host=localhost;Database=jwtdevices").Options);
}
