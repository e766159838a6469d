using JwtDevices.Server.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace JwtDevices.Server.Hosting;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: 503 while the database is unreachable;
/// Redis being down, or the node not listening for PostgreSQL's revocation notifications, reads "Degraded" with 200,
/// since nodes then poll the revocation log.
/// </summary>
internal static class ServerHealth
{
    public static IServiceCollection AddJwtDevicesServerHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddDbContextCheck<ServerDbContext>("database").AddJwtDevicesRevocationWatch();
        return services;
    }

    public static IEndpointRouteBuilder MapServerHealth(this IEndpointRouteBuilder endpoints)
    {
        // The bodies are the bare status ("Healthy", "Degraded", "Unhealthy"): nothing about the servers behind.
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false })
            .WithTags("Health").WithSummary("200 Healthy while the process runs.");
        endpoints.MapHealthChecks("/health/ready")
            .WithTags("Health").WithSummary("200 Healthy, or Degraded while Redis is configured but down or revocation notifications are not heard; 503 Unhealthy while the database is unreachable.");
        return endpoints;
    }
}
