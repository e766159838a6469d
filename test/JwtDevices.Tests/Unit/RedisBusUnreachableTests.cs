using System.Collections.Concurrent;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.StackExchangeRedis;
using JwtDevices.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JwtDevices.Tests.Unit;

/// <summary>The Redis bus with no Redis to reach: it never blocks a caller and never throws.</summary>
public sealed class RedisBusUnreachableTests : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly LoggerFactory _loggers;

    public RedisBusUnreachableTests() => _loggers = new LoggerFactory([new ListLoggerProvider(_lines)]);

    public void Dispose() => _loggers.Dispose();

    [Fact]
    public async Task SubscribeAsync_ReturnsAtOnce_AndPublishAsync_LogsInsteadOfThrowing()
    {
        await using var bus = Bus(new JwtDevicesRedisOptions { Configuration = $"127.0.0.1:{TestRedis.UnusedPort()},connectTimeout=500" });

        var subscribed = bus.SubscribeAsync(new IgnoringReceiver(), CancellationToken.None);
        Assert.True(subscribed.IsCompletedSuccessfully); // it connects in the background
        await bus.PublishAsync([Revocation()], CancellationToken.None);

        Assert.False(bus.IsConnected);
        Assert.Contains(_lines, line => line.Contains("RedisDeviceRevocationBus[42]", StringComparison.Ordinal));
        Assert.Contains(_lines, line => line.Contains("RedisDeviceRevocationBus[40]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AThrowingFactory_IsLoggedAndRetried_AndPublishAsyncStillReturns()
    {
        var calls = 0;
        await using var bus = Bus(new JwtDevicesRedisOptions
        {
            ConnectionMultiplexerFactory = () =>
            {
                Interlocked.Increment(ref calls);
                throw new RedisException("Redis is down.");
            },
        });

        await bus.SubscribeAsync(new IgnoringReceiver(), CancellationToken.None);
        await bus.PublishAsync([Revocation()], CancellationToken.None);

        Assert.False(bus.IsConnected);
        Assert.Equal(1, Volatile.Read(ref calls)); // the next try waits for the retry delay
        Assert.Contains(_lines, line => line.Contains("RedisDeviceRevocationBus[44]", StringComparison.Ordinal));
        Assert.Contains(_lines, line => line.Contains("RedisDeviceRevocationBus[42]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SubscribeAsync_Twice_Throws()
    {
        await using var bus = Bus(new JwtDevicesRedisOptions { ConnectionMultiplexerFactory = () => throw new InvalidOperationException() });
        await bus.SubscribeAsync(new IgnoringReceiver(), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await bus.SubscribeAsync(new IgnoringReceiver(), CancellationToken.None));
    }

    private RedisDeviceRevocationBus Bus(JwtDevicesRedisOptions options) =>
        new(Options.Create(options), Options.Create(new JwtDevicesOptions { SigningKey = ServerFactory.SigningKey }),
            TimeProvider.System, _loggers.CreateLogger<RedisDeviceRevocationBus>());

    private static DeviceRevocation Revocation() =>
        new() { DeviceId = 1, RevokedAt = DateTimeOffset.UtcNow, Reason = DeviceRevocationReason.LoggedOut };

    private sealed class IgnoringReceiver : IDeviceRevocationReceiver
    {
        public void OnRevoked(IReadOnlyList<DeviceRevocation> revocations)
        {
        }

        public void OnRefused(RevocationMessageRefusal reason)
        {
        }

        public void OnReconnected()
        {
        }
    }
}
