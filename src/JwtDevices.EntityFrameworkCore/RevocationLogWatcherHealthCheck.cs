using JwtDevices.Revocation;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>
/// Healthy while the node learns of other nodes' revocations as they are committed (or when it is not set up to);
/// the registration's failure status while it is not listening, when only the poll brings them.
/// </summary>
internal sealed class RevocationLogWatcherHealthCheck(IDeviceRevocationLogWatcher watcher) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var way = (watcher as EntityFrameworkRevocationLogWatcher)?.Way;
        return Task.FromResult(
            way is null ? HealthCheckResult.Healthy("The revocation log is read at each poll; no faster way is set up for this database.")
            : watcher.IsWatching ? HealthCheckResult.Healthy($"Revocations from other nodes are read as they are committed ({way}).")
            : new HealthCheckResult(context.Registration.FailureStatus,
                $"Not watching the revocation log ({way}): revocations from other nodes arrive by polling it until it is back."));
    }
}
