using JwtDevices.Devices;
using JwtDevices.Revocation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JwtDevices.StackExchangeRedis;

/// <summary>
/// Carries revocations between nodes over Redis pub/sub: one message per batch on
/// <see cref="JwtDevicesRedisOptions.Channel"/>, applied by every subscribed node on receipt. Each message is
/// authenticated (<see cref="RevocationMessageKeys"/>): one that fails, or that is larger than a node sends,
/// is refused before it is parsed, and the node reads the revocation log instead.
/// </summary>
/// <remarks>
/// The connection is made in the background on first use, so start-up never waits for Redis nor fails
/// without it. <see cref="IsConnected"/> turns false as soon as StackExchange.Redis reports a failed
/// connection (the node then polls the revocation log), and true again only once a round trip on the
/// subscription's connection has shown that the channel is subscribed and the connection that publishes is
/// up too; then the node reloads the recent log.
/// </remarks>
internal sealed partial class RedisDeviceRevocationBus : IDeviceRevocationBus, IDisposable, IAsyncDisposable
{
    /// <summary>How long to wait before creating the connection again when that failed.</summary>
    internal static readonly TimeSpan ConnectRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait between checks that the subscription is live again.</summary>
    internal static readonly TimeSpan ConfirmRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly JwtDevicesRedisOptions _options;
    private readonly RedisChannel _channel;
    private readonly RevocationMessageKeys _keys;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();

    // Guarded by _gate.
    private Task? _connecting;
    private IConnectionMultiplexer? _connection;
    private IDeviceRevocationReceiver? _subscriber;
    private bool _subscribed;
    private bool _disposed;
    private bool _outageLogged;
    private long _failures;

    private volatile bool _live;
    private int _confirming;

    public RedisDeviceRevocationBus(
        IOptions<JwtDevicesRedisOptions> options,
        IOptions<JwtDevicesOptions> jwtDevicesOptions,
        TimeProvider time,
        ILogger<RedisDeviceRevocationBus> logger)
    {
        _options = options.Value;
        _channel = RedisChannel.Literal(_options.Channel);
        _keys = new RevocationMessageKeys(jwtDevicesOptions.Value, _options.Channel);
        _time = time;
        _logger = logger;
        _stoppingToken = _stopping.Token;
    }

    /// <inheritdoc />
    public bool IsConnected => _live;

    /// <summary>The connection when it is up, for the DPoP replay store's commands; starts connecting on first use.</summary>
    internal IConnectionMultiplexer? ConnectionIfUp
    {
        get
        {
            StartConnecting();
            var connection = Volatile.Read(ref _connection);
            return connection is { IsConnected: true } ? connection : null;
        }
    }

    /// <inheritdoc />
    public ValueTask SubscribeAsync(IDeviceRevocationReceiver receiver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        lock (_gate)
        {
            if (_subscriber is not null)
            {
                throw new InvalidOperationException("The Redis revocation bus has a subscriber already.");
            }
            _subscriber = receiver;
        }
        StartConnecting();
        TrySubscribe();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask PublishAsync(IReadOnlyList<DeviceRevocation> revocations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocations);
        if (revocations.Count == 0)
        {
            return;
        }
        StartConnecting();
        // Only the first attempt is waited for (a command line that revokes and exits needs it);
        // once it is over, a publish during an outage returns at once.
        await _firstAttempt.Task.WaitAsync(cancellationToken);
        var connection = Volatile.Read(ref _connection);
        if (connection is null || !connection.IsConnected)
        {
            LogNotPublished(_logger, revocations.Count, "not connected");
            return;
        }
        try
        {
            await connection.GetSubscriber().PublishAsync(_channel, RevocationMessage.Serialize(revocations, _keys)).WaitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogNotPublished(_logger, revocations.Count, exception.GetType().Name);
        }
    }

    public void Dispose()
    {
        if (BeginDispose() is { } connection)
        {
            connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (BeginDispose() is { } connection)
        {
            await connection.DisposeAsync();
        }
    }

    private void StartConnecting()
    {
        lock (_gate)
        {
            if (_connecting is null && !_disposed)
            {
                _connecting = Task.Run(ConnectAsync);
            }
        }
    }

    private async Task ConnectAsync()
    {
        while (!_stoppingToken.IsCancellationRequested)
        {
            IConnectionMultiplexer connection;
            try
            {
                connection = await CreateConnectionAsync();
            }
            catch (Exception exception)
            {
                if (_stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                LogConnectionNotCreated(_logger, exception.GetType().Name, ConnectRetryDelay);
                _firstAttempt.TrySetResult();
                try
                {
                    await Task.Delay(ConnectRetryDelay, _time, _stoppingToken);
                }
                catch (OperationCanceledException)
                {
                }
                continue;
            }

            connection.ConnectionFailed += OnConnectionFailed;
            connection.ConnectionRestored += OnConnectionRestored;
            lock (_gate)
            {
                if (_disposed)
                {
                    connection.Dispose();
                    return;
                }
                _connection = connection;
            }
            if (!connection.IsConnected)
            {
                LogOutageOnce(ConnectionFailureType.UnableToConnect);
            }
            _firstAttempt.TrySetResult();
            TrySubscribe();
            return;
        }
    }

    private async Task<IConnectionMultiplexer> CreateConnectionAsync()
    {
        if (_options.ConnectionMultiplexerFactory is { } factory)
        {
            return await factory();
        }
        var configuration = _options.ConfigurationOptions?.Clone() ?? ConfigurationOptions.Parse(_options.Configuration!);
        configuration.AbortOnConnectFail = false;
        return await ConnectionMultiplexer.ConnectAsync(configuration);
    }

    // Subscribes once both the connection and the subscriber are there, whichever came last.
    private void TrySubscribe()
    {
        IConnectionMultiplexer connection;
        IDeviceRevocationReceiver subscriber;
        lock (_gate)
        {
            if (_subscribed || _connection is null || _subscriber is null)
            {
                return;
            }
            (_subscribed, connection, subscriber) = (true, _connection, _subscriber);
        }
        _ = SubscribeAsync(connection, subscriber);
    }

    private async Task SubscribeAsync(IConnectionMultiplexer connection, IDeviceRevocationReceiver subscriber)
    {
        try
        {
            // The handler stays registered even when this fails: StackExchange.Redis subscribes it again
            // on every reconnection.
            await connection.GetSubscriber().SubscribeAsync(_channel, (_, message) => Receive(message, subscriber));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogOutageOnce(ConnectionFailureType.UnableToConnect);
        }
        catch (ObjectDisposedException)
        {
            return; // the application is stopping
        }
        StartConfirming();
    }

    private void Receive(RedisValue message, IDeviceRevocationReceiver receiver)
    {
        if (!RevocationMessage.TryRead(((ReadOnlyMemory<byte>)message).Span, _keys, out var revocations, out var refusal))
        {
            // The receiver counts it, warns now and then, and reads the log.
            receiver.OnRefused(refusal);
            return;
        }
        LogReceived(_logger, revocations.Count);
        receiver.OnRevoked(revocations);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        lock (_gate)
        {
            _failures++;
            _live = false;
        }
        LogOutageOnce(e.FailureType);
        StartConfirming();
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => StartConfirming();

    // One loop at a time checks, until it holds, that the subscription is live again.
    private void StartConfirming()
    {
        bool subscribed;
        lock (_gate)
        {
            subscribed = _subscribed && !_disposed;
        }
        if (subscribed && !_live && Interlocked.Exchange(ref _confirming, 1) == 0)
        {
            _ = ConfirmSubscriptionAsync();
        }
    }

    private async Task ConfirmSubscriptionAsync()
    {
        try
        {
            while (!_live && !_stoppingToken.IsCancellationRequested)
            {
                if (await IsSubscriptionLiveAsync() is { } failuresSeen && TryGoLive(failuresSeen))
                {
                    break;
                }
                await Task.Delay(ConfirmRetryDelay, _time, _stoppingToken);
            }
        }
        catch (OperationCanceledException) when (_stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref _confirming, 0);
        }
        // A failure may have come between the last check and the flag's release.
        StartConfirming();
    }

    // The failure count when the check began if the channel is subscribed and publishing works; null if not (yet).
    private async Task<long?> IsSubscriptionLiveAsync()
    {
        IConnectionMultiplexer? connection;
        long failures;
        lock (_gate)
        {
            (connection, failures) = (_connection, _failures);
        }
        if (connection is null)
        {
            return null;
        }
        var subscriber = connection.GetSubscriber();
        try
        {
            // A round trip on the connection that carries the subscription: a SUBSCRIBE queued on
            // reconnection before it has been processed when it answers.
            await subscriber.PingAsync().WaitAsync(_stoppingToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            return null; // down, or stopping: the loop decides
        }
        // Publishing takes the other connection, which may come back later: until it has, this node's
        // log-outs would reach the others only through the log.
        return subscriber.SubscribedEndpoint(_channel) is null || !connection.IsConnected ? null : failures;
    }

    private bool TryGoLive(long failuresSeen)
    {
        IDeviceRevocationReceiver subscriber;
        lock (_gate)
        {
            // A failure since the check began makes its answer stale.
            if (_disposed || _failures != failuresSeen || _subscriber is null)
            {
                return false;
            }
            _live = true;
            _outageLogged = false;
            subscriber = _subscriber;
        }
        LogSubscribed(_logger, _options.Channel);
        // Revocations published while this node was not listening are in the log: the node reloads it.
        subscriber.OnReconnected();
        return true;
    }

    private void LogOutageOnce(ConnectionFailureType failure)
    {
        lock (_gate)
        {
            if (_outageLogged || _disposed)
            {
                return;
            }
            _outageLogged = true;
        }
        LogUnreachable(_logger, failure);
    }

    private IConnectionMultiplexer? BeginDispose()
    {
        IConnectionMultiplexer? connection;
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }
            _disposed = true;
            _live = false;
            (connection, _connection) = (_connection, null);
        }
        _stopping.Cancel();
        _stopping.Dispose();
        _firstAttempt.TrySetResult();
        if (connection is not null)
        {
            connection.ConnectionFailed -= OnConnectionFailed;
            connection.ConnectionRestored -= OnConnectionRestored;
        }
        return connection;
    }

    [LoggerMessage(40, LogLevel.Warning,
        "Redis is unreachable ({Failure}); revocations from other nodes arrive by polling the revocation log until it is back.", EventName = "RedisUnreachable")]
    private static partial void LogUnreachable(ILogger logger, ConnectionFailureType failure);

    [LoggerMessage(41, LogLevel.Information, "Receiving revocations from other nodes on Redis channel {Channel}.", EventName = "RedisSubscribed")]
    private static partial void LogSubscribed(ILogger logger, string channel);

    [LoggerMessage(42, LogLevel.Warning,
        "A batch of {Count} revocations was not published on Redis ({Reason}); other nodes read it from the revocation log when they poll.", EventName = "RedisNotPublished")]
    private static partial void LogNotPublished(ILogger logger, int count, string reason);

    [LoggerMessage(44, LogLevel.Warning, "Could not create the Redis connection ({Error}); trying again in {Delay}.", EventName = "RedisConnectionNotCreated")]
    private static partial void LogConnectionNotCreated(ILogger logger, string error, TimeSpan delay);

    [LoggerMessage(45, LogLevel.Debug, "Received revocations of {Count} devices on Redis.", EventName = "RedisRevocationsReceived")]
    private static partial void LogReceived(ILogger logger, int count);
}
