namespace JwtDevices.Server.Hosting;

/// <summary>Revocations between nodes over Redis, when <c>ConnectionStrings:Redis</c> is set.</summary>
internal static class ServerRedis
{
    public static IServiceCollection AddJwtDevicesServerRedis(this IServiceCollection services, IConfiguration configuration)
    {
        // Without Redis, nodes on PostgreSQL hear of revocations through NOTIFY, and every node polls the revocation log.
        if (configuration.GetConnectionString("Redis") is not { Length: > 0 } redis)
        {
            return services;
        }
        services.AddJwtDevicesStackExchangeRedis(options => options.Configuration = redis);
        services.AddHealthChecks().AddJwtDevicesRedis();
        return services;
    }
}
