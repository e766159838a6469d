using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server;

/// <summary>The server's database on PostgreSQL; its migrations are in <c>Migrations/Postgres</c>.</summary>
public sealed class PostgresServerDbContext(DbContextOptions<PostgresServerDbContext> options) : ServerDbContext(options);
