using JwtDevices;
using JwtDevices.Devices;
using JwtDevices.Diagnostics;
using JwtDevices.Dpop;
using JwtDevices.Events;
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
    /// Adds the JwtDevices authentication scheme, named <see cref="JwtDevicesDefaults.AuthenticationScheme"/>,
    /// and its services. Settings are bound from the <c>JwtDevices</c> configuration section and from
    /// <c>Authentication:Schemes:JwtDevices</c> (which wins where both set one); nonsense
    /// settings stop start-up with a message naming the setting. A device store and an
    /// <see cref="IUserCredentialValidator"/> must be registered too.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <returns>The authentication builder, for chaining.</returns>
    public static AuthenticationBuilder AddJwtDevices(this AuthenticationBuilder builder) =>
        builder.AddJwtDevices(JwtDevicesDefaults.AuthenticationScheme, null, null);

    /// <summary>
    /// Adds the JwtDevices authentication scheme, named <see cref="JwtDevicesDefaults.AuthenticationScheme"/>,
    /// and its services; <paramref name="configure"/> runs after the <c>JwtDevices</c> configuration section is bound.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="configure">Changes the settings after they are bound from configuration.</param>
    /// <returns>The authentication builder, for chaining.</returns>
    public static AuthenticationBuilder AddJwtDevices(this AuthenticationBuilder builder, Action<JwtDevicesOptions>? configure) =>
        builder.AddJwtDevices(JwtDevicesDefaults.AuthenticationScheme, null, configure);

    /// <summary>Adds a JwtDevices authentication scheme under the name <paramref name="authenticationScheme"/>.</summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme's name.</param>
    /// <param name="configure">Changes the scheme's settings after they are bound from configuration.</param>
    /// <returns>The authentication builder, for chaining.</returns>
    public static AuthenticationBuilder AddJwtDevices(this AuthenticationBuilder builder, string authenticationScheme, Action<JwtDevicesOptions>? configure) =>
        builder.AddJwtDevices(authenticationScheme, null, configure);

    /// <summary>
    /// Adds a JwtDevices authentication scheme under the name <paramref name="authenticationScheme"/>, with
    /// its settings as the scheme's named options (read through <c>IOptionsMonitor&lt;JwtDevicesOptions&gt;</c>).
    /// The first JwtDevices scheme added owns the settings: they are bound from the <c>JwtDevices</c>
    /// configuration section, then from <c>Authentication:Schemes:&lt;scheme&gt;</c> as JwtBearer's are (a setting
    /// in both takes the latter's value), and the endpoints, token issue and revocation use them. A later JwtDevices
    /// scheme accepts the same tokens with the same settings and has its own events, for example to read
    /// the token from a query string on a hub's path only; start-up stops if it changes a shared setting.
    /// </summary>
    /// <param name="builder">The authentication builder.</param>
    /// <param name="authenticationScheme">The scheme's name.</param>
    /// <param name="displayName">The scheme's display name, if any.</param>
    /// <param name="configure">Changes the scheme's settings after they are bound from configuration.</param>
    /// <returns>The authentication builder, for chaining.</returns>
    public static AuthenticationBuilder AddJwtDevices(
        this AuthenticationBuilder builder, string authenticationScheme, string? displayName, Action<JwtDevicesOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(authenticationScheme);
        var services = builder.Services;

        var first = services.FirstOrDefault(descriptor => descriptor.ServiceType == typeof(JwtDevicesSharedOptions.Scheme));
        if (first is null)
        {
            AddSharedServices(services, authenticationScheme);
        }
        var options = services.AddOptions<JwtDevicesOptions>(authenticationScheme);
        if (first is null)
        {
            options.BindConfiguration(JwtDevicesDefaults.ConfigurationSection);
        }
        options.Configure<IServiceProvider>((settings, provider) => JwtDevicesSchemeConfiguration.Bind(provider, authenticationScheme, settings));
        if (configure is not null)
        {
            options.Configure(configure);
        }
        if (first is not null)
        {
            options.Configure<JwtDevicesSecondSchemeOptions>((settings, shared) => shared.EnsureShared(authenticationScheme, settings));
        }
        options.ValidateOnStart();

        return builder.AddScheme<JwtDevicesOptions, JwtDevicesHandler>(authenticationScheme, displayName, null);
    }

    // Once, for the first scheme: its settings are the ones IOptions<JwtDevicesOptions> and the services see.
    private static void AddSharedServices(IServiceCollection services, string authenticationScheme)
    {
        services.AddSingleton(new JwtDevicesSharedOptions.Scheme(authenticationScheme));
        services.TryAddSingleton<JwtDevicesSharedOptions>();
        services.AddSingleton<IOptions<JwtDevicesOptions>>(provider => provider.GetRequiredService<JwtDevicesSharedOptions>());
        services.AddSingleton<JwtDevicesSecondSchemeOptions>();
        services.AddSingleton<IConfigureOptions<JwtDevicesOptions>>(provider => provider.GetRequiredService<JwtDevicesSecondSchemeOptions>());

        services.AddOptions<JwtDevicesOptions>(authenticationScheme)
            .Validate<IServiceProviderIsService>(
                (_, registered) => registered.IsService(typeof(IDeviceStore)),
                "JwtDevices needs a device store: call services.AddJwtDevicesEntityFrameworkStore<TContext>() or register an IDeviceStore.")
            .Validate<IServiceProviderIsService>(
                (_, registered) => registered.IsService(typeof(IUserCredentialValidator)),
                "JwtDevices needs to check credentials: call services.AddJwtDevicesIdentityUsers<TUser>() or register an IUserCredentialValidator.");
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtDevicesOptions>, JwtDevicesOptionsValidator>());

        services.AddOptions<JwtDevicesDpopOptions>().BindConfiguration(JwtDevicesDpopOptions.ConfigurationSection).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtDevicesDpopOptions>, JwtDevicesDpopOptionsValidator>());
        services.TryAddSingleton<DpopNonces>();
        services.TryAddSingleton<DpopProofValidator>();
        services.TryAddSingleton<DpopProofs>();

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<JwtDevicesMetrics>();
        services.TryAddSingleton<HandlerLoggerFactory>();
        services.TryAddSingleton<AccessTokenService>();
        services.TryAddSingleton<ValidatedTokens>();
        services.TryAddSingleton<RevokedDevices>();
        services.TryAddScoped<DeviceEventRaiser>();
        services.TryAddScoped<IDeviceRevocationService, DeviceRevocationService>();
        services.TryAddSingleton<RotatingPermanentTokens>();
        services.TryAddScoped<DeviceLimit>();
        services.TryAddScoped<DeviceService>();
        services.AddHostedService<RevocationSynchronizer>();
        services.AddHostedService<DeviceCleanupService>();
        services.AddAuthorization();
    }

    /// <summary>
    /// Checks log-in credentials with ASP.NET Core Identity's <c>UserManager&lt;TUser&gt;</c>, which the
    /// application registers (for example with <c>AddIdentityCore&lt;TUser&gt;()</c>). With
    /// <see cref="JwtDevicesOptions.IncludeRoles"/> on, tokens carry the user's Identity roles; start-up stops
    /// if the user store keeps none (<c>AddRoles&lt;TRole&gt;()</c> not called).
    /// </summary>
    /// <typeparam name="TUser">The application's Identity user type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddJwtDevicesIdentityUsers<TUser>(this IServiceCollection services)
        where TUser : class
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddScoped<IUserCredentialValidator, UserManagerCredentialValidator<TUser>>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JwtDevicesOptions>, IdentityRolesValidator<TUser>>(_ => new(services)));
        return services;
    }
}
