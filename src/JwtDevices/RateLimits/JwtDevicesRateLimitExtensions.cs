using JwtDevices;
using JwtDevices.RateLimits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the rate limits of log-in and refresh.</summary>
public static class JwtDevicesRateLimitExtensions
{
    /// <summary>
    /// Limits failed log-ins per user name, and log-ins and refreshes per client address, as the
    /// <c>RateLimits</c> configuration section says (then <paramref name="configure"/>); a request over a
    /// limit gets 429 with <c>Retry-After</c>. Nonsense limits stop start-up with a message naming the
    /// setting. Behind a proxy, use the forwarded-headers middleware so that the client's address is the
    /// client's, not the proxy's.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the limits after they are bound from configuration.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddJwtDevicesRateLimits(this IServiceCollection services, Action<JwtDevicesRateLimitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<JwtDevicesRateLimitOptions>().BindConfiguration(JwtDevicesRateLimitOptions.ConfigurationSection);
        if (configure is not null)
        {
            options.Configure(configure);
        }
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtDevicesRateLimitOptions>, JwtDevicesRateLimitOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JwtDevicesRateLimiters>();
        return services;
    }
}
