using System.Data.Common;
using JwtDevices.Revocation;
using Microsoft.Extensions.Logging;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>
/// Notices, on SQLite, that another connection committed (another process's revocation, the command line's
/// <c>devices revoke</c>), and asks the node to read the revocation log. Every interval it runs
/// <c>PRAGMA data_version</c> on a connection of its own, which SQLite answers from memory without reading the
/// file; only when the number moved is the log read (one indexed query).
/// </summary>
/// <remarks>
/// The number moves on any commit by another connection, this process's own included (a log-in, a refresh), so
/// a busy node reads the log at most once per interval; an idle one reads nothing.
/// </remarks>
internal sealed partial class SqliteDataVersionWatcher(
    DbProviderFactory factory, string connectionString, TimeSpan interval, TimeProvider time, ILogger logger)
    : IDeviceRevocationLogWatcher, IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Action _logChanged = () => { };
    private Task _running = Task.CompletedTask;
    private DbConnection? _connection;
    private long _version;
    private volatile bool _watching;
    private bool _outageLogged;

    public bool IsWatching => _watching;

    public async ValueTask StartAsync(Action logChanged, CancellationToken cancellationToken)
    {
        _logChanged = logChanged;
        await CheckAsync(cancellationToken);
        _running = Task.Run(RunAsync, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await CheckAsync(stopping);
        }
    }

    // Opens the connection if needed (the first number is only the baseline), then compares the number.
    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            var opened = false;
            if (_connection is null)
            {
                _connection = factory.CreateConnection()!;
                _connection.ConnectionString = connectionString;
                await _connection.OpenAsync(cancellationToken);
                opened = true;
            }
            await using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA data_version";
            var version = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            var moved = !opened && version != _version;
            _version = version;
            if (opened && _outageLogged)
            {
                // Back after a failure: what was committed meanwhile is in the log.
                _outageLogged = false;
                moved = true;
            }
            _watching = true;
            if (moved)
            {
                _logChanged();
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            _watching = false;
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }
            if (!_outageLogged)
            {
                _outageLogged = true;
                LogNotWatching(logger, exception.GetType().Name);
            }
        }
    }

    [LoggerMessage(52, LogLevel.Warning,
        "Cannot check the SQLite database for other processes' commits ({Error}); trying again, and meanwhile their revocations arrive by polling the revocation log.",
        EventName = "SqliteChangeCheckFailed")]
    private static partial void LogNotWatching(ILogger logger, string error);
}
