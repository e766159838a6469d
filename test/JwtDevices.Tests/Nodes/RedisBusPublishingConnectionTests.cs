using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.StackExchangeRedis;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace JwtDevices.Tests.Nodes;

/// <summary>
/// After an outage StackExchange.Redis restores the subscription's connection and the one that publishes
/// separately. A bus that called itself connected once the subscription was back published nothing until the
/// other came: the node's log-outs reached the others only at their next poll.
/// </summary>
[RequiresService(TestServices.Redis)]
public sealed class RedisBusPublishingConnectionTests : IDisposable
{
    private static readonly TimeSpan Checks = RedisDeviceRevocationBus.ConfirmRetryDelay * 5;

    private readonly ITestOutputHelper _output;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly LoggerFactory _loggers;

    public RedisBusPublishingConnectionTests(ITestOutputHelper output)
    {
        _output = output;
        _loggers = new LoggerFactory([new ListLoggerProvider(_lines)]);
    }

    public void Dispose() => _loggers.Dispose();

    [Fact]
    public async Task Bus_IsConnected_OnlyOnceItsPublishingConnectionIsUpToo()
    {
        var address = TestRedis.Address(_output);
        if (address is null)
        {
            return;
        }
        var channel = $"jwtdevices-tests:{Guid.NewGuid():N}";
        await using var redis = await ConnectionMultiplexer.ConnectAsync(address);
        var connection = SwitchableConnection.Wrap(redis, isConnected: false);
        var receiver = new CountingReceiver();
        await using var bus = new RedisDeviceRevocationBus(
            Options.Create(new JwtDevicesRedisOptions { ConnectionMultiplexerFactory = () => Task.FromResult(connection), Channel = channel }),
            Options.Create(new JwtDevicesOptions { SigningKey = ServerFactory.SigningKey }),
            TimeProvider.System, _loggers.CreateLogger<RedisDeviceRevocationBus>());

        await bus.SubscribeAsync(receiver, CancellationToken.None);
        await Eventually.HoldsAsync(() => redis.GetSubscriber().SubscribedEndpoint(RedisChannel.Literal(channel)) is not null, "the channel is subscribed");
        await Task.Delay(Checks); // several checks find the subscription live

        Assert.False(bus.IsConnected);
        Assert.Equal(0, receiver.Reconnections);
        await bus.PublishAsync([new DeviceRevocation { DeviceId = 1, RevokedAt = DateTimeOffset.UtcNow, Reason = DeviceRevocationReason.LoggedOut }], CancellationToken.None);
        Assert.Contains(_lines, line => line.Contains("RedisDeviceRevocationBus[42]", StringComparison.Ordinal)); // not published

        SwitchableConnection.Of(connection).IsConnectedNow = true;

        await Eventually.HoldsAsync(() => bus.IsConnected, "the bus is connected once it can publish");
        Assert.Equal(1, receiver.Reconnections); // and reads what it may have missed from the log
    }

    /// <summary>A real connection whose <see cref="IConnectionMultiplexer.IsConnected"/> says what the test sets.</summary>
    public class SwitchableConnection : DispatchProxy
    {
        private IConnectionMultiplexer _inner = null!;
        private volatile bool _isConnected;

        public bool IsConnectedNow
        {
            get => _isConnected;
            set => _isConnected = value;
        }

        public static IConnectionMultiplexer Wrap(IConnectionMultiplexer inner, bool isConnected)
        {
            var proxy = Create<IConnectionMultiplexer, SwitchableConnection>();
            var switchable = (SwitchableConnection)(object)proxy;
            switchable._inner = inner;
            switchable.IsConnectedNow = isConnected;
            return proxy;
        }

        public static SwitchableConnection Of(IConnectionMultiplexer proxy) => (SwitchableConnection)(object)proxy;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == "get_IsConnected")
            {
                return IsConnectedNow;
            }
            if (targetMethod.Name is "Dispose" or "DisposeAsync" or "Close" or "CloseAsync")
            {
                // The test disposes the real connection itself.
                return targetMethod.ReturnType == typeof(ValueTask) ? ValueTask.CompletedTask
                    : targetMethod.ReturnType == typeof(Task) ? Task.CompletedTask : null;
            }
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException exception) when (exception.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(exception.InnerException); // with the connection's own stack trace
                throw;
            }
        }
    }

    private sealed class CountingReceiver : IDeviceRevocationReceiver
    {
        private int _reconnections;

        public int Reconnections => Volatile.Read(ref _reconnections);

        public void OnRevoked(IReadOnlyList<DeviceRevocation> revocations)
        {
        }

        public void OnRefused(RevocationMessageRefusal reason)
        {
        }

        public void OnReconnected() => Interlocked.Increment(ref _reconnections);
    }
}
