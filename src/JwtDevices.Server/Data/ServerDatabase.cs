using JwtDevices.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server.Data;

/// <summary>The server's database: which one, where it is, and how it is brought up to date.</summary>
internal static class ServerDatabase
{
    public const string Section = "Database";

    public const string ProviderKey = $"{Section}:Provider";

    public const string DefaultConnectionString = "Data Source=jwtdevices.db";

    /// <summary>The configured provider: <c>Sqlite</c> (the default) or <c>Postgres</c>, in any case.</summary>
    /// <exception cref="ServerConfigurationException">The setting names another provider.</exception>
    public static DatabaseProvider Provider(IConfiguration configuration)
    {
        var configured = configuration[ProviderKey];
        if (string.IsNullOrWhiteSpace(configured) || configured.Trim().Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Sqlite;
        }
        if (configured.Trim().Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            return DatabaseProvider.Postgres;
        }
        throw new ServerConfigurationException($"{ProviderKey} must be Sqlite or Postgres, not '{configured}'.");
    }

    /// <summary>
    /// <c>ConnectionStrings:Default</c>; on SQLite it defaults to a file in the working directory, while
    /// PostgreSQL has no sensible default.
    /// </summary>
    /// <exception cref="ServerConfigurationException">PostgreSQL is chosen and no connection string is set.</exception>
    public static string ConnectionString(IConfiguration configuration)
    {
        if (configuration.GetConnectionString("Default") is { Length: > 0 } configured)
        {
            return configured;
        }
        return Provider(configuration) == DatabaseProvider.Sqlite
            ? DefaultConnectionString
            : throw new ServerConfigurationException(
                $"{ProviderKey} is Postgres but ConnectionStrings:Default is not set; set it to an Npgsql connection string.");
    }

    /// <summary>
    /// Applies pending migrations; on SQLite, first makes the database file owner-only (or warns that it is
    /// not), and lets readers run beside a writer (WAL).
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        if (context.Database.IsSqlite())
        {
            SqliteDatabaseFile.Prepare(context.Database.GetConnectionString()!,
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SqliteDatabaseFile)));
        }
        await ServerMigrationLock.MigrateAsync(context, cancellationToken);
        if (context.Database.IsSqlite())
        {
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
    }
}
