using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace JwtDevices.Server.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add NAME --context SqliteServerDbContext --output-dir Data/Migrations/Sqlite</c>
/// build the model without starting the server. It connects to nothing.
/// </summary>
internal sealed class SqliteServerDbContextFactory : IDesignTimeDbContextFactory<SqliteServerDbContext>
{
    public SqliteServerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteServerDbContext>().UseSqlite(ServerDatabase.DefaultConnectionString).Options);
}
