using JwtDevices.Devices;
using JwtDevices.EntityFrameworkCore;
using JwtDevices.Revocation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the EF Core device store.</summary>
public static class JwtDevicesEntityFrameworkCoreExtensions
{
    /// <summary>
    /// Keeps JwtDevices' devices in <typeparamref name="TContext"/>, whose <c>OnModelCreating</c> must call
    /// <c>modelBuilder.UseJwtDevices()</c>. The context itself is registered by the application. On PostgreSQL,
    /// revocations are notified to every node within milliseconds; on SQLite, a revocation by another process
    /// is noticed within 250 ms (see <see cref="JwtDevicesEntityFrameworkCoreOptions"/>).
    /// </summary>
    /// <typeparam name="TContext">The application's DbContext.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddJwtDevicesEntityFrameworkStore<TContext>(this IServiceCollection services)
        where TContext : DbContext =>
        services.AddJwtDevicesEntityFrameworkStore<TContext>(_ => { });

    /// <summary>
    /// Keeps JwtDevices' devices in <typeparamref name="TContext"/>, with <paramref name="configure"/> choosing how
    /// nodes learn of each other's revocations before their poll; settings that cannot work stop start-up with a
    /// message naming the setting.
    /// </summary>
    /// <typeparam name="TContext">The application's DbContext.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes the settings, for example <c>options.PostgresNotifications = false</c>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddJwtDevicesEntityFrameworkStore<TContext>(
        this IServiceCollection services, Action<JwtDevicesEntityFrameworkCoreOptions> configure)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<JwtDevicesEntityFrameworkCoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtDevicesEntityFrameworkCoreOptions>, JwtDevicesEntityFrameworkCoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PostgresRevocationNotifications>();
        services.TryAddSingleton<IDeviceRevocationLogWatcher>(provider => new EntityFrameworkRevocationLogWatcher(
            typeof(TContext),
            provider.GetRequiredService<IServiceScopeFactory>(),
            provider.GetRequiredService<IOptions<JwtDevicesEntityFrameworkCoreOptions>>(),
            provider.GetRequiredService<PostgresRevocationNotifications>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILoggerFactory>()));
        services.TryAddScoped<IDeviceStore, EntityFrameworkDeviceStore<TContext>>();
        return services;
    }
}
