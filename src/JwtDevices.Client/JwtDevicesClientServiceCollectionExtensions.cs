using JwtDevices.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="JwtDevicesClient"/>s and puts their handler on <c>IHttpClientFactory</c> clients.</summary>
public static class JwtDevicesClientServiceCollectionExtensions
{
    /// <summary>The prefix of the named <see cref="HttpClient"/> each client calls the server's own endpoints through.</summary>
    public const string BackchannelPrefix = "JwtDevices.Client.Backchannel:";

    /// <summary>Registers the app's one <see cref="JwtDevicesClient"/> (a singleton) with these options.</summary>
    public static IServiceCollection AddJwtDevicesClient(this IServiceCollection services, Action<JwtDevicesClientOptions> configure) =>
        services.AddJwtDevicesClient(Options.Options.DefaultName, configure);

    /// <summary>
    /// Registers a <see cref="JwtDevicesClient"/> under <paramref name="name"/> (a keyed singleton), for apps that
    /// hold several users or servers at once; the client named <see cref="Options.Options.DefaultName"/> is also the
    /// unkeyed one. Its calls to the server go through the named <see cref="HttpClient"/> <c>BackchannelPrefix + name</c>,
    /// which you may configure further.
    /// </summary>
    public static IServiceCollection AddJwtDevicesClient(this IServiceCollection services, string name, Action<JwtDevicesClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddHttpClient(BackchannelPrefix + name);
        services.Configure(name, configure);
        services.AddKeyedSingleton(name, (provider, _) =>
        {
            var options = provider.GetRequiredService<IOptionsMonitor<JwtDevicesClientOptions>>().Get(name);
            var factory = provider.GetRequiredService<IHttpClientFactory>();
            var logger = provider.GetService<ILoggerFactory>()?.CreateLogger<JwtDevicesClient>();
            return new JwtDevicesClient(() => factory.CreateClient(BackchannelPrefix + name), options, logger);
        });
        if (name == Options.Options.DefaultName)
        {
            services.AddSingleton(provider => provider.GetRequiredKeyedService<JwtDevicesClient>(name));
        }
        return services;
    }

    /// <summary>
    /// Adds the handler of the <see cref="JwtDevicesClient"/> named <paramref name="clientName"/> (the unkeyed one by
    /// default) to this named or typed client: every request carries that client's JWT, refreshed as needed.
    /// </summary>
    public static IHttpClientBuilder AddJwtDevicesHandler(this IHttpClientBuilder builder, string? clientName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var name = clientName ?? Options.Options.DefaultName;
        return builder.AddHttpMessageHandler(provider => provider.GetRequiredKeyedService<JwtDevicesClient>(name).CreateHandler());
    }
}
