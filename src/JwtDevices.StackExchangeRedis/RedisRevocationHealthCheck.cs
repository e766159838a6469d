using JwtDevices.Revocation;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JwtDevices.StackExchangeRedis;

/// <summary>Healthy while revocations arrive over the bus; the registration's failure status otherwise.</summary>
internal sealed class RedisRevocationHealthCheck(IDeviceRevocationBus bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(bus.IsConnected
            ? HealthCheckResult.Healthy("Revocations from other nodes arrive over Redis.")
            : new HealthCheckResult(context.Registration.FailureStatus,
                "Redis is unreachable; revocations from other nodes arrive by polling the revocation log."));
}
