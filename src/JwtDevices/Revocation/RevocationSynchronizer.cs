using JwtDevices.Devices;
using JwtDevices.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JwtDevices.Revocation;

/// <summary>
/// Keeps <see cref="RevokedDevices"/> in step with the revocation log: loads the recent log at start-up
/// and whenever the bus comes back, takes the bus's revocations as they arrive, and polls the log every
/// <see cref="JwtDevicesOptions.RevocationPollInterval"/>. A <see cref="IDeviceRevocationLogWatcher"/> (PostgreSQL's
/// NOTIFY, SQLite's data_version) makes it read the log as soon as the log changes, at most once per
/// <see cref="ChangedReadSpacing"/>. Without a bus or a watcher the poll is how revocations
/// arrive; with them it is the safety net for what they cannot carry (a node that lost Redis or its
/// listening connection alone, a node that stopped between its commit and its publish), and for what the bus refuses (see
/// <see cref="RevocationReceiver"/>): a refusal brings the next poll forward, at most once per
/// <see cref="ReadLogSpacing"/>.
/// </summary>
/// <remarks>
/// A poll is one indexed query that returns the revocations since the previous poll (with
/// <see cref="RevokedDevices.ClockDriftAllowance"/> of overlap); a reload returns those of the last
/// <see cref="RevokedDevices.Retention"/>. Nothing here runs per request.
/// </remarks>
internal sealed partial class RevocationSynchronizer : BackgroundService
{
    /// <summary>
    /// The least time between two reads of the log that refused messages bring forward: soon enough that a
    /// real revocation in a refused message is applied within about a second, rare enough that a flood of
    /// bad messages costs the database one indexed query a second per node.
    /// </summary>
    internal static readonly TimeSpan ReadLogSpacing = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The least time between two reads of the log that the watcher asks for: short enough to add little to a
    /// cross-node revocation, long enough that a flood of notifications costs at most 20 indexed queries a second.
    /// </summary>
    internal static readonly TimeSpan ChangedReadSpacing = TimeSpan.FromMilliseconds(50);

    private readonly IServiceScopeFactory _scopes;
    private readonly RevokedDevices _revoked;
    private readonly TimeProvider _time;
    private readonly ILogger<RevocationSynchronizer> _logger;
    private readonly IDeviceRevocationBus? _bus;
    private readonly IDeviceRevocationLogWatcher? _watcher;
    private readonly TimeSpan _pollInterval;
    private readonly RevocationReceiver _receiver;
    private volatile TaskCompletionSource _reconnected = NewSignal();
    private volatile TaskCompletionSource _readLog = NewSignal();
    private volatile TaskCompletionSource _logChanged = NewSignal();
    private DateTimeOffset? _loadedUpTo;
    private DateTimeOffset _lastReadAt = DateTimeOffset.MinValue;
    private bool _busWasConnected;
    private int _busWentLive;

    public RevocationSynchronizer(
        IServiceScopeFactory scopes,
        RevokedDevices revoked,
        TimeProvider time,
        IOptions<JwtDevicesOptions> options,
        JwtDevicesMetrics metrics,
        ILogger<RevocationSynchronizer> logger,
        IDeviceRevocationBus? bus = null,
        IDeviceRevocationLogWatcher? watcher = null)
    {
        (_scopes, _revoked, _time, _logger, _bus, _watcher) = (scopes, revoked, time, logger, bus, watcher);
        _pollInterval = options.Value.RevocationPollInterval;
        _receiver = new RevocationReceiver(revoked, time, metrics, logger, () => _readLog.TrySetResult(), OnReconnected);
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_bus is not null)
        {
            await _bus.SubscribeAsync(_receiver, cancellationToken);
            _busWasConnected = _bus.IsConnected;
        }
        if (_watcher is not null)
        {
            // Watching before the first read: a revocation committed in between is in that read or wakes the next.
            await _watcher.StartAsync(() => _logChanged.TrySetResult(), cancellationToken);
        }
        // Before the node serves: a token of a device revoked minutes ago must already be refused.
        await SynchronizeAsync(LogRead.Reload, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var read = await WaitAsync(stoppingToken);
            if (read is LogRead.Poll or LogRead.Reload)
            {
                // A walk over the whole set: once per poll, not for every notification.
                _revoked.Prune();
            }

            var busConnected = _bus?.IsConnected ?? false;
            var busCameBack = busConnected && !_busWasConnected;
            _busWasConnected = busConnected;
            await SynchronizeAsync(busCameBack || _loadedUpTo is null ? LogRead.Reload : read, stoppingToken);
        }
    }

    // The bus calls this each time it goes live: the first time too, when the reload covers what was revoked
    // while it connected; only the later times follow an outage, and say so.
    private void OnReconnected()
    {
        if (Interlocked.Exchange(ref _busWentLive, 1) == 1)
        {
            LogBusReconnected(_logger);
        }
        _reconnected.TrySetResult();
    }

    // Which read is due: a reload when the bus came back, otherwise what woke the node.
    private async Task<LogRead> WaitAsync(CancellationToken stoppingToken)
    {
        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var reconnected = _reconnected.Task;
        var readLog = _readLog.Task;
        var logChanged = _logChanged.Task;
        var delay = Task.Delay(_pollInterval, _time, delayCancellation.Token);
        var first = await Task.WhenAny(delay, reconnected, readLog, logChanged);
        await delayCancellation.CancelAsync();
        if (first == reconnected)
        {
            _reconnected = NewSignal();
            return LogRead.Reload;
        }
        stoppingToken.ThrowIfCancellationRequested();
        if (first == readLog)
        {
            // Replaced before the read, so a refusal during it asks for the next one.
            _readLog = NewSignal();
            await SpaceAsync(ReadLogSpacing, stoppingToken);
            return LogRead.Refusal;
        }
        if (first == logChanged)
        {
            // The same: a change committed during the read wakes the next one.
            _logChanged = NewSignal();
            await SpaceAsync(ChangedReadSpacing, stoppingToken);
            return LogRead.Change;
        }
        return LogRead.Poll;
    }

    private async Task SpaceAsync(TimeSpan spacing, CancellationToken stoppingToken)
    {
        var wait = _lastReadAt + spacing - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, stoppingToken);
        }
    }

    private async Task SynchronizeAsync(LogRead read, CancellationToken cancellationToken)
    {
        var reload = read == LogRead.Reload;
        var startedAt = _time.GetUtcNow();
        _lastReadAt = startedAt;
        var since = reload || _loadedUpTo is null
            ? startedAt - _revoked.Retention
            : _loadedUpTo.Value - RevokedDevices.ClockDriftAllowance;
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IDeviceStore>();
            var entries = await store.ListRevocationsSinceAsync(since, cancellationToken);
            _revoked.AddRange(entries);
            _loadedUpTo = startedAt;
            LogSynchronized(_logger, entries.Count, read.ToString().ToLowerInvariant());
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The store is down: keep serving with what is known, and try again at the next tick.
            LogSynchronizationFailed(_logger, exception.GetType().Name);
        }
    }

    // What a read of the log is for; its name is the Kind of the RevocationLogRead log line.
    private enum LogRead
    {
        Reload,
        Poll,
        Refusal,
        Change,
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(20, LogLevel.Debug, "Revocation log read ({Kind}): {Count} entries.", EventName = "RevocationLogRead")]
    private static partial void LogSynchronized(ILogger logger, int count, string kind);

    [LoggerMessage(21, LogLevel.Warning,
        "Could not read the revocation log ({Error}); devices revoked on other nodes meanwhile are refused once it is read again.", EventName = "RevocationLogReadFailed")]
    private static partial void LogSynchronizationFailed(ILogger logger, string error);

    [LoggerMessage(22, LogLevel.Information, "The revocation bus is back; reloading the recent revocation log.", EventName = "RevocationBusReconnected")]
    private static partial void LogBusReconnected(ILogger logger);
}
