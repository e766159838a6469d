using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Benchmarks;

/// <summary>An application's DbContext with JwtDevices' tables and nothing else.</summary>
internal sealed class BenchmarkDbContext(DbContextOptions<BenchmarkDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.UseJwtDevices();
}
