using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server;

/// <summary>The server's database on SQLite; its migrations are in <c>Migrations/Sqlite</c>.</summary>
public sealed class SqliteServerDbContext(DbContextOptions<SqliteServerDbContext> options) : ServerDbContext(options);
