using StackExchange.Redis;

namespace JwtDevices.StackExchangeRedis;

/// <summary>
/// Settings of the Redis revocation bus. Give one way to connect: <see cref="ConnectionMultiplexerFactory"/>,
/// <see cref="ConfigurationOptions"/> or <see cref="Configuration"/>, in that order of precedence.
/// </summary>
public sealed class JwtDevicesRedisOptions
{
    /// <summary>The DPoP replay keys' prefix when <see cref="DpopReplayKeyPrefix"/> is not set.</summary>
    public const string DefaultDpopReplayKeyPrefix = "jwtdevices:dpop:jti:";

    /// <summary>The channel used when <see cref="Channel"/> is not set.</summary>
    public const string DefaultChannel = "jwtdevices:revocations";

    /// <summary>
    /// A StackExchange.Redis configuration string, for example <c>localhost:6379</c> or
    /// <c>redis1:6379,password=...,ssl=true</c>. <c>abortConnect</c> is always turned off, so an
    /// unreachable Redis never stops start-up.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// The connection settings as an object; takes precedence over <see cref="Configuration"/>. A copy is
    /// used, with <see cref="ConfigurationOptions.AbortOnConnectFail"/> turned off.
    /// </summary>
    public ConfigurationOptions? ConfigurationOptions { get; set; }

    /// <summary>
    /// Creates the connection, for example to share one with the rest of the application; takes
    /// precedence over the other two. It should not throw when Redis is down (set
    /// <c>AbortOnConnectFail = false</c>); if it throws, the bus tries again every few seconds. The bus
    /// disposes the connection when the application stops.
    /// </summary>
    public Func<Task<IConnectionMultiplexer>>? ConnectionMultiplexerFactory { get; set; }

    /// <summary>
    /// The pub/sub channel the nodes of one deployment share. Give deployments that share a Redis
    /// different channels. Default: <c>jwtdevices:revocations</c>.
    /// </summary>
    public string Channel { get; set; } = DefaultChannel;

    /// <summary>
    /// The prefix of the keys that remember DPoP proofs across nodes (one per proof, expiring with it; see
    /// docs/dpop.md). Give deployments that share a Redis different prefixes. Default: <c>jwtdevices:dpop:jti:</c>.
    /// </summary>
    public string DpopReplayKeyPrefix { get; set; } = DefaultDpopReplayKeyPrefix;
}
