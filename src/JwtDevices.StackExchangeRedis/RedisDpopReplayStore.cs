using JwtDevices.Dpop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JwtDevices.StackExchangeRedis;

/// <summary>
/// Remembers DPoP proofs for every node in Redis, on the revocation bus's connection: one atomic
/// <c>SET key 1 PX ms NX</c> per proof, so two nodes handed one proof at once cannot both take it.
/// While Redis is down it answers <see cref="DpopReplayStoreResult.Unavailable"/> at once, without waiting.
/// </summary>
internal sealed partial class RedisDpopReplayStore(
    RedisDeviceRevocationBus bus,
    IOptions<JwtDevicesRedisOptions> options,
    ILogger<RedisDpopReplayStore> logger) : IDpopReplayStore
{
    private readonly string _prefix = options.Value.DpopReplayKeyPrefix;

    public async ValueTask<DpopReplayStoreResult> TryAddAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        if (bus.ConnectionIfUp is not { } connection)
        {
            return DpopReplayStoreResult.Unavailable;
        }
        try
        {
            var result = await connection.GetDatabase()
                .ExecuteAsync("SET", _prefix + key, "1", "PX", (long)Math.Ceiling(lifetime.TotalMilliseconds), "NX")
                .WaitAsync(cancellationToken);
            // OK when set; nil when the key was there: a replay.
            return result.IsNull ? DpopReplayStoreResult.Replayed : DpopReplayStoreResult.Added;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogCommandFailed(logger, exception.GetType().Name);
            return DpopReplayStoreResult.Unavailable;
        }
    }

    [LoggerMessage(47, LogLevel.Debug, "A DPoP replay check in Redis failed ({Error}).", EventName = "RedisDpopReplayCheckFailed")]
    private static partial void LogCommandFailed(ILogger logger, string error);
}
