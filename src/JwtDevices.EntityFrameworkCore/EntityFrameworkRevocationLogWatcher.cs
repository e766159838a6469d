using System.Data.Common;
using JwtDevices.Revocation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>
/// Watches the revocation log in the way the application's DbContext's database allows: PostgreSQL's
/// notifications (<see cref="PostgresRevocationListener"/>), SQLite's <c>data_version</c>
/// (<see cref="SqliteDataVersionWatcher"/>), or not at all (another provider, or turned off), when the poll alone
/// bounds staleness.
/// </summary>
internal sealed class EntityFrameworkRevocationLogWatcher(
    Type contextType,
    IServiceScopeFactory scopes,
    IOptions<JwtDevicesEntityFrameworkCoreOptions> options,
    PostgresRevocationNotifications notifications,
    TimeProvider time,
    ILoggerFactory loggers) : IDeviceRevocationLogWatcher, IAsyncDisposable
{
    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    private IDeviceRevocationLogWatcher? _watcher;

    public bool IsWatching => _watcher?.IsWatching ?? false;

    /// <summary>The way changes are watched, for the health check; null when they are not.</summary>
    public string? Way { get; private set; }

    /// <summary>The watcher at work, if any.</summary>
    internal IDeviceRevocationLogWatcher? Watcher => _watcher;

    public async ValueTask StartAsync(Action logChanged, CancellationToken cancellationToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var database = ((DbContext)scope.ServiceProvider.GetRequiredService(contextType)).Database;
            if (notifications.IsOn(database))
            {
                _watcher = PostgresListener.Create(database.GetDbConnection(), notifications, time, loggers);
                Way = $"PostgreSQL notifications on channel {notifications.Channel}";
            }
            else if (database.ProviderName == SqliteProvider && options.Value.SqliteChangeCheckInterval > TimeSpan.Zero)
            {
                var connection = database.GetDbConnection();
                _watcher = new SqliteDataVersionWatcher(
                    DbProviderFactories.GetFactory(connection)!, connection.ConnectionString,
                    options.Value.SqliteChangeCheckInterval, time, loggers.CreateLogger<SqliteDataVersionWatcher>());
                Way = "SQLite's data_version";
            }
        }
        if (_watcher is not null)
        {
            await _watcher.StartAsync(logChanged, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_watcher is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    // Apart, so that only PostgreSQL needs Npgsql's assembly loaded.
    private static class PostgresListener
    {
        public static PostgresRevocationListener Create(
            DbConnection connection, PostgresRevocationNotifications notifications, TimeProvider time, ILoggerFactory loggers) =>
            new PostgresRevocationListener((Npgsql.NpgsqlConnection)connection, notifications, time, loggers.CreateLogger<PostgresRevocationListener>());
    }
}
