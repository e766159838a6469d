using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server;

/// <summary>The server's database: where it is and how it is brought up to date.</summary>
internal static class ServerDatabase
{
    public const string DefaultConnectionString = "Data Source=jwtdevices.db";

    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Default") is { Length: > 0 } configured ? configured : DefaultConnectionString;

    /// <summary>Applies pending migrations, and lets readers run beside a writer (WAL).</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        await context.Database.MigrateAsync(cancellationToken);
        await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
