using JwtDevices.Revocation;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>
/// Listens for the revocation notifications of other processes (<see cref="PostgresRevocationNotifications"/>) on a
/// PostgreSQL connection of its own, and asks the node to read the log for each one. When the connection drops
/// (a restart, a failover, <c>pg_terminate_backend</c>), it logs one warning, keeps trying with growing delays,
/// and once it listens again asks for a read of the log to catch up on what it missed; meanwhile the node's
/// poll bounds staleness.
/// </summary>
/// <remarks>
/// The only type that names Npgsql: an application on another database never loads it. The connection is a clone
/// of the application's own (same settings, password and certificates), taken from its pool and held while
/// listening; a round trip every <see cref="KeepAliveInterval"/> of silence finds one that died without a word.
/// </remarks>
internal sealed partial class PostgresRevocationListener : IDeviceRevocationLogWatcher, IAsyncDisposable
{
    /// <summary>The waits before each attempt to listen again; the last repeats.</summary>
    internal static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(30)];

    internal static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(30);

    private readonly NpgsqlConnection _template;
    private readonly string _channel;
    private readonly string _processId;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Action _logChanged = () => { };
    private Task _running = Task.CompletedTask;
    private volatile NpgsqlConnection? _listening;
    private bool _outageLogged;

    // The application's connection is cloned, never opened.
    public PostgresRevocationListener(
        NpgsqlConnection connection, PostgresRevocationNotifications notifications, TimeProvider time, ILogger logger)
    {
        _template = (NpgsqlConnection)((ICloneable)connection).Clone();
        (_channel, _processId, _time, _logger) = (notifications.Channel, notifications.ProcessId, time, logger);
    }

    public bool IsWatching => _listening is not null;

    /// <summary>The PostgreSQL backend process of the listening connection, while there is one.</summary>
    internal int? BackendProcessId => _listening?.ProcessID;

    public async ValueTask StartAsync(Action logChanged, CancellationToken cancellationToken)
    {
        _logChanged = logChanged;
        var connection = await TryListenAsync(cancellationToken);
        _running = Task.Run(() => RunAsync(connection), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _template.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task RunAsync(NpgsqlConnection? connection)
    {
        var stopping = _stopping.Token;
        var attempt = 0;
        while (!stopping.IsCancellationRequested)
        {
            if (connection is null)
            {
                try
                {
                    await Task.Delay(RetryDelays[Math.Min(attempt++, RetryDelays.Length - 1)], _time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                if ((connection = await TryListenAsync(stopping)) is null)
                {
                    continue;
                }
                attempt = 0;
                LogListeningAgain(_logger, _channel);
                // Whatever was committed while nobody listened is in the log.
                _logChanged();
            }
            try
            {
                while (true)
                {
                    if (!await connection.WaitAsync(KeepAliveInterval, stopping))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stopping);
                    }
                }
            }
            catch (Exception exception)
            {
                if (!stopping.IsCancellationRequested)
                {
                    _outageLogged = true;
                    LogNotListening(_logger, _channel, exception.GetType().Name);
                }
            }
            _listening = null;
            await connection.DisposeAsync();
            connection = null;
        }
    }

    // The connection now listening, or null; only the first failure of an outage logs a warning.
    private async Task<NpgsqlConnection?> TryListenAsync(CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)((ICloneable)_template).Clone();
        try
        {
            await connection.OpenAsync(cancellationToken);
            connection.Notification += OnNotification;
            // The channel is validated as plain ASCII letters, digits and underscores; quoted, it keeps its case as pg_notify does.
            await using var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", connection);
            await listen.ExecuteNonQueryAsync(cancellationToken);
            _listening = connection;
            _outageLogged = false;
            return connection;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            if (!_outageLogged)
            {
                _outageLogged = true;
                LogNotListening(_logger, _channel, exception.GetType().Name);
            }
            return null;
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs notification)
    {
        // This process's own revocations are applied already; anything else is only a reason to read the log.
        if (!string.Equals(notification.Payload, _processId, StringComparison.Ordinal))
        {
            _logChanged();
        }
    }

    [LoggerMessage(50, LogLevel.Warning,
        "Not listening for revocation notifications on PostgreSQL channel {Channel} ({Error}); trying again, and meanwhile revocations from other nodes arrive by polling the revocation log.",
        EventName = "PostgresListenerDown")]
    private static partial void LogNotListening(ILogger logger, string channel, string error);

    [LoggerMessage(51, LogLevel.Information,
        "Listening again for revocation notifications on PostgreSQL channel {Channel}; reading the revocation log to catch up.",
        EventName = "PostgresListenerBack")]
    private static partial void LogListeningAgain(ILogger logger, string channel);
}
