using JwtDevices.Devices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JwtDevices.Revocation;

/// <summary>
/// Keeps <see cref="RevokedDevices"/> in step with the revocation log: loads the recent log at start-up
/// and whenever the bus comes back, takes the bus's revocations as they arrive, and polls the log every
/// <see cref="JwtDevicesOptions.RevocationPollInterval"/>. Without a bus the poll is how revocations
/// arrive; with one it is the safety net for what the bus cannot carry (a node that lost Redis alone,
/// a node that stopped between its commit and its publish).
/// </summary>
/// <remarks>
/// A poll is one indexed query that returns the revocations since the previous poll (with
/// <see cref="RevokedDevices.ClockDriftAllowance"/> of overlap); a reload returns those of the last
/// <see cref="RevokedDevices.Retention"/>. Nothing here runs per request.
/// </remarks>
internal sealed partial class RevocationSynchronizer(
    IServiceScopeFactory scopes,
    RevokedDevices revoked,
    TimeProvider time,
    IOptions<JwtDevicesOptions> options,
    ILogger<RevocationSynchronizer> logger,
    IDeviceRevocationBus? bus = null) : BackgroundService
{
    private readonly TimeSpan _pollInterval = options.Value.RevocationPollInterval;
    private volatile TaskCompletionSource _reconnected = NewSignal();
    private DateTimeOffset? _loadedUpTo;
    private bool _busWasConnected;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (bus is not null)
        {
            await bus.SubscribeAsync(revoked.Add, OnReconnected, cancellationToken);
            _busWasConnected = bus.IsConnected;
        }
        // Before the node serves: a token of a device revoked minutes ago must already be refused.
        await SynchronizeAsync(reload: true, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var reconnected = await WaitAsync(stoppingToken);
            revoked.Prune();

            var busConnected = bus?.IsConnected ?? false;
            var busCameBack = busConnected && !_busWasConnected;
            _busWasConnected = busConnected;
            if (reconnected || busCameBack || _loadedUpTo is null)
            {
                await SynchronizeAsync(reload: true, stoppingToken);
            }
            else
            {
                await SynchronizeAsync(reload: false, stoppingToken);
            }
        }
    }

    private void OnReconnected()
    {
        LogBusReconnected(logger);
        _reconnected.TrySetResult();
    }

    // True when the bus came back; false when the poll interval passed.
    private async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var signal = _reconnected.Task;
        var delay = Task.Delay(_pollInterval, time, delayCancellation.Token);
        var first = await Task.WhenAny(delay, signal);
        await delayCancellation.CancelAsync();
        if (first == signal)
        {
            _reconnected = NewSignal();
            return true;
        }
        stoppingToken.ThrowIfCancellationRequested();
        return false;
    }

    private async Task SynchronizeAsync(bool reload, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var since = reload || _loadedUpTo is null
            ? startedAt - revoked.Retention
            : _loadedUpTo.Value - RevokedDevices.ClockDriftAllowance;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IDeviceStore>();
            var entries = await store.ListRevocationsSinceAsync(since, cancellationToken);
            revoked.AddRange(entries);
            _loadedUpTo = startedAt;
            LogSynchronized(logger, entries.Count, reload ? "reload" : "poll");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The store is down: keep serving with what is known, and try again at the next tick.
            LogSynchronizationFailed(logger, exception.GetType().Name);
        }
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
