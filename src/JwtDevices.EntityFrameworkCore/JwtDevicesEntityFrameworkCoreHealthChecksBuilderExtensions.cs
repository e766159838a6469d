using JwtDevices.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the health check of the EF Core store's revocation watch.</summary>
public static class JwtDevicesEntityFrameworkCoreHealthChecksBuilderExtensions
{
    /// <summary>
    /// Reports whether the node learns of other nodes' revocations as they are committed: whether it listens for
    /// PostgreSQL's notifications, or checks SQLite for other processes' commits. It reads the watcher's state and
    /// sends nothing to the database. A node that does not still refuses revoked devices after its next poll of
    /// the log, so the check fails as <see cref="HealthStatus.Degraded"/> by default, which keeps the node ready.
    /// Healthy when neither way applies (another database, or turned off).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">What a failing check reports.</param>
    /// <param name="tags">Tags to filter checks by, for example in <c>MapHealthChecks</c>.</param>
    /// <returns>The health checks builder, for chaining.</returns>
    public static IHealthChecksBuilder AddJwtDevicesRevocationWatch(
        this IHealthChecksBuilder builder,
        string name = "jwtdevices-revocation-watch",
        HealthStatus failureStatus = HealthStatus.Degraded,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<RevocationLogWatcherHealthCheck>(name, failureStatus, tags ?? []);
    }
}
