using JwtDevices.Dpop;
using JwtDevices.Revocation;
using JwtDevices.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis revocation bus of JwtDevices.</summary>
public static class JwtDevicesStackExchangeRedisExtensions
{
    /// <summary>
    /// Carries revocations between the nodes of a deployment over Redis pub/sub: a device logged out on
    /// one node is refused on every node within milliseconds. While Redis is unreachable, nodes keep
    /// serving and poll the revocation log every <c>JwtDevices:RevocationPollInterval</c>; start-up never
    /// waits for Redis. It also remembers DPoP proofs for every node (one <c>SET NX PX</c> per proof), so a proof
    /// used on one node is refused on the others. Settings that cannot work stop start-up with a message naming the setting.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets how to connect, for example <c>options.Configuration = "localhost:6379"</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddJwtDevicesStackExchangeRedis(this IServiceCollection services, Action<JwtDevicesRedisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<JwtDevicesRedisOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtDevicesRedisOptions>, JwtDevicesRedisOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisDeviceRevocationBus>();
        services.TryAddSingleton<IDeviceRevocationBus>(provider => provider.GetRequiredService<RedisDeviceRevocationBus>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDpopReplayStore, RedisDpopReplayStore>());
        return services;
    }
}
