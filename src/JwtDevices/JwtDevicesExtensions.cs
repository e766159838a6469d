using JwtDevices;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.Tokens;
using JwtDevices.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers JwtDevices.</summary>
public static class JwtDevicesExtensions
{
    /// <summary>
    /// Adds the JwtDevices authentication scheme and its services. Settings are bound from the
    /// <c>JwtDevices</c> configuration section, then <paramref name="configure"/> runs; nonsense settings
    /// stop start-up with a message naming the setting. A device store and an
    /// <see cref="IUserCredentialValidator"/> must be registered too.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Changes the settings after they are bound from configuration.</param>
    /// <returns>The authentication builder, for chaining.</returns>
    public static AuthenticationBuilder AddJwtDevices(this AuthenticationBuilder builder, Action<JwtDevicesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        var options = services.AddOptions<JwtDevicesOptions>().BindConfiguration(JwtDevicesDefaults.ConfigurationSection);
        if (configure is not null)
        {
            options.Configure(configure);
        }
        options
            .Validate<IServiceProviderIsService>(
                (_, registered) => registered.IsService(typeof(IDeviceStore)),
                "JwtDevices needs a device store: call services.AddJwtDevicesEntityFrameworkStore<TContext>() or register an IDeviceStore.")
            .Validate<IServiceProviderIsService>(
                (_, registered) => registered.IsService(typeof(IUserCredentialValidator)),
                "JwtDevices needs to check credentials: call services.AddJwtDevicesIdentityUsers<TUser>() or register an IUserCredentialValidator.")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtDevicesOptions>, JwtDevicesOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccessTokenService>();
        services.TryAddSingleton<RevokedDevices>();
        services.TryAddScoped<IDeviceRevocationService, DeviceRevocationService>();
        services.TryAddSingleton<RotatingPermanentTokens>();
        services.TryAddScoped<DeviceLimit>();
        services.TryAddScoped<DeviceService>();
        services.AddHostedService<RevocationSynchronizer>();
        services.AddHostedService<DeviceCleanupService>();
        services.AddAuthorization();

        return builder.AddScheme<AuthenticationSchemeOptions, JwtDevicesHandler>(JwtDevicesDefaults.AuthenticationScheme, null);
    }

    /// <summary>
    /// Checks log-in credentials with ASP.NET Core Identity's <c>UserManager&lt;TUser&gt;</c>, which the
    /// application registers (for example with <c>AddIdentityCore&lt;TUser&gt;()</c>).
    /// </summary>
    /// <typeparam name="TUser">The application's Identity user type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddJwtDevicesIdentityUsers<TUser>(this IServiceCollection services)
        where TUser : class
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddScoped<IUserCredentialValidator, UserManagerCredentialValidator<TUser>>();
        return services;
    }
}
