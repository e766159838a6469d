using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server.Data;

/// <summary>The server's database on SQLite; its migrations are in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteServerDbContext(DbContextOptions<SqliteServerDbContext> options) : ServerDbContext(options);
