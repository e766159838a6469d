using JwtDevices.Devices;
using JwtDevices.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the EF Core device store.</summary>
public static class JwtDevicesEntityFrameworkCoreExtensions
{
    /// <summary>
    /// Keeps JwtDevices' devices in <typeparamref name="TContext"/>, whose <c>OnModelCreating</c> must call
    /// <c>modelBuilder.UseJwtDevices()</c>. The context itself is registered by the application.
    /// </summary>
    /// <typeparam name="TContext">The application's DbContext.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddJwtDevicesEntityFrameworkStore<TContext>(this IServiceCollection services)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddScoped<IDeviceStore, EntityFrameworkDeviceStore<TContext>>();
        return services;
    }
}
