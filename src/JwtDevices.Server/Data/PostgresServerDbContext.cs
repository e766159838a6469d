using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server.Data;

/// <summary>The server's database on PostgreSQL; its migrations are in <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresServerDbContext(DbContextOptions<PostgresServerDbContext> options) : ServerDbContext(options);
