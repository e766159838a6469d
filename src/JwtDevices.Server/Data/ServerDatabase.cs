using System.Data.Common;
using JwtDevices.EntityFrameworkCore;
using JwtDevices.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace JwtDevices.Server.Data;

/// <summary>The server's database: which one, where it is, and how it is brought up to date.</summary>
internal static class ServerDatabase
{
    public const string Section = "Database";

    public const string ProviderKey = $"{Section}:Provider";

    /// <summary>The settings of the <c>Database</c> section.</summary>
    public static readonly string[] Settings =
        ["Provider", .. typeof(JwtDevicesEntityFrameworkCoreOptions).GetProperties().Select(property => property.Name)];

    public const string ConnectionStringKey = "ConnectionStrings:Default";

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
    /// <c>ConnectionStrings:Default</c>, checked against the provider. On SQLite it defaults to
    /// <c>jwtdevices.db</c>, and a relative file is in the content root (not the working directory, which a
    /// command run from elsewhere would fill with a new, empty database); PostgreSQL has no sensible default.
    /// </summary>
    /// <exception cref="ServerConfigurationException">It is missing on PostgreSQL, or is not the provider's kind of connection string.</exception>
    public static string ConnectionString(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration.GetConnectionString("Default");
        if (Provider(configuration) == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(configured))
            {
                throw new ServerConfigurationException(
                    $"{ProviderKey} is Postgres but {ConnectionStringKey} is not set; set it to an Npgsql connection string (Host=...;Database=...;Username=...).");
            }
            // The driver's message names the keyword it refuses, never a value (a password).
            _ = Parse(() => new NpgsqlConnectionStringBuilder(configured), "an Npgsql connection string (Host=...;Database=...;Username=...), as Database:Provider=Postgres needs");
            return configured;
        }
        var sqlite = Parse(
            () => new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured) ? DefaultConnectionString : configured),
            "a SQLite connection string (Data Source=FILE); for PostgreSQL, set Database:Provider=Postgres");
        if (sqlite.Mode != SqliteOpenMode.Memory && sqlite.DataSource is { Length: > 0 } file && file != ":memory:"
            && !file.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && !Path.IsPathRooted(file))
        {
            sqlite.DataSource = Path.GetFullPath(file, contentRoot);
        }
        return sqlite.ToString();
    }

    private static T Parse<T>(Func<T> parse, string expected)
    {
        try
        {
            return parse();
        }
        catch (Exception exception) when (exception is ArgumentException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            throw new ServerConfigurationException(
                $"{ConnectionStringKey} is not {expected}: {ServerFailure.OneLine(exception.Message)}");
        }
    }

    /// <summary>
    /// Applies pending migrations; on SQLite, first makes the database file owner-only (or warns that it is
    /// not), and lets readers run beside a writer (WAL).
    /// </summary>
    /// <exception cref="ServerConfigurationException">The database cannot be opened or reached, or refuses the server.</exception>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        if (context.Database.IsSqlite())
        {
            SqliteDatabaseFile.Prepare(context.Database.GetConnectionString()!,
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SqliteDatabaseFile)));
        }
        try
        {
            await ServerMigrationLock.MigrateAsync(context, cancellationToken);
            if (context.Database.IsSqlite())
            {
                await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }
        catch (Exception exception) when (FirstDbException(exception) is { } failure)
        {
            // The first use of the database: what fails here is the file, the server or the log-in the settings name.
            throw new ServerConfigurationException(Describe(failure, context.Database.GetDbConnection().DataSource));
        }
    }

    private static DbException? FirstDbException(Exception? exception) =>
        exception is null or DbException ? exception as DbException : FirstDbException(exception.InnerException);

    // Never the connection string: it may hold a password.
    private static string Describe(DbException failure, string server) => failure switch
    {
        SqliteException { SqliteErrorCode: 14 } =>
            $"cannot open the SQLite database {server} ({ConnectionStringKey}): check that its folder exists and that this user may write there.",
        SqliteException sqlite => $"the SQLite database {server} ({ConnectionStringKey}) failed: {ServerFailure.OneLine(sqlite.Message)}",
        PostgresException postgres =>
            $"PostgreSQL at {server} ({ConnectionStringKey}) refused: {postgres.SqlState}: {ServerFailure.OneLine(postgres.MessageText)}",
        NpgsqlException => $"cannot connect to PostgreSQL at {server} ({ConnectionStringKey}): {ServerFailure.OneLine(Reason(failure))}",
        _ => $"the database at {server} ({ConnectionStringKey}) failed: {ServerFailure.OneLine(Reason(failure))}",
    };

    // "Failed to connect to 127.0.0.1:5432: Connection refused".
    private static string Reason(Exception failure) =>
        failure.InnerException is { } inner ? $"{failure.Message.TrimEnd('.')}: {Reason(inner)}" : failure.Message;
}
