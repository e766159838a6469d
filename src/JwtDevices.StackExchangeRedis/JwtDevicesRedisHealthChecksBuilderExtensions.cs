using JwtDevices.StackExchangeRedis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the health check of the JwtDevices Redis revocation bus.</summary>
public static class JwtDevicesRedisHealthChecksBuilderExtensions
{
    /// <summary>
    /// Reports whether revocations from other nodes arrive over Redis now. It reads the bus's state and
    /// sends nothing to Redis. A node without Redis still refuses revoked devices (it polls the log), so
    /// the check fails as <see cref="HealthStatus.Degraded"/> by default, which keeps the node ready.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">What a failing check reports.</param>
    /// <param name="tags">Tags to filter checks by, for example in <c>MapHealthChecks</c>.</param>
    /// <returns>The health checks builder, for chaining.</returns>
    public static IHealthChecksBuilder AddJwtDevicesRedis(
        this IHealthChecksBuilder builder,
        string name = "jwtdevices-redis",
        HealthStatus failureStatus = HealthStatus.Degraded,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<RedisRevocationHealthCheck>(name, failureStatus, tags ?? []);
    }
}
