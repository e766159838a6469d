using System.Net;

namespace JwtDevices.Server.Hosting;

/// <summary>
/// Behind a reverse proxy: when <c>ForwardedHeaders:KnownProxies</c> or <c>ForwardedHeaders:KnownNetworks</c>
/// is set, the client address and scheme come from <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, but
/// only when the request comes from one of those proxies. Anything that keys by client address (logs, rate
/// limits) then sees the client, not the proxy; anyone else sending those headers is ignored. A Unix-socket
/// peer has no address to name: <c>ForwardedHeaders:TrustUnixSocketPeer=true</c> believes the proxy on the
/// other end of a socket the server listens on.
/// </summary>
internal static class ServerForwardedHeaders
{
    public const string Section = "ForwardedHeaders";

    private const string KnownProxies = "KnownProxies";
    private const string KnownNetworks = "KnownNetworks";
    private const string TrustUnixSocketPeer = "TrustUnixSocketPeer";
    private const string ForwardLimit = "ForwardLimit";

    /// <summary>The settings of the <c>ForwardedHeaders</c> section, all read here.</summary>
    public static readonly string[] Settings = [KnownProxies, KnownNetworks, TrustUnixSocketPeer, ForwardLimit];

    /// <exception cref="ServerConfigurationException">A proxy address or network does not parse.</exception>
    public static IServiceCollection AddJwtDevicesServerForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var proxies = Values(section, KnownProxies).Select(value => IPAddress.TryParse(value.Text, out var address)
            ? address
            : throw new ServerConfigurationException($"{value.Path} is '{value.Text}', which is not an IP address (10.0.0.5, fd00::5)."))
            .ToList();
        var networks = Values(section, KnownNetworks).Select(value => System.Net.IPNetwork.TryParse(value.Text, out var network)
            ? network
            : throw new ServerConfigurationException($"{value.Path} is '{value.Text}', which is not a network in CIDR notation (10.0.0.0/8)."))
            .ToList();
        var trustsUnixSocketPeer = section.GetValue<bool>(TrustUnixSocketPeer);
        var trustsProxies = proxies.Count > 0 || networks.Count > 0;
        if (!trustsProxies && !trustsUnixSocketPeer)
        {
            return services;
        }
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor
                | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            // Only the proxies named here are trusted, not the loopback defaults.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            proxies.ForEach(options.KnownProxies.Add);
            networks.ForEach(options.KnownIPNetworks.Add);
            if (int.TryParse(section[ForwardLimit], out var limit) && limit > 0)
            {
                options.ForwardLimit = limit;
            }
        });
        services.AddSingleton(new ForwardedHeadersEnabled(trustsProxies, trustsUnixSocketPeer));
        return services;
    }

    /// <summary>Takes the client address and scheme from the proxy's headers, first in the pipeline, when configured.</summary>
    public static WebApplication UseJwtDevicesServerForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetService<ForwardedHeadersEnabled>() is { } enabled)
        {
            // The middleware applies the headers of a peer without an address (a Unix socket's) whatever
            // the known proxies, and of any TCP peer when none is named: each kind only when trusted here.
            app.UseWhen(
                context => context.Connection.RemoteIpAddress is null ? enabled.TrustsUnixSocketPeer : enabled.TrustsProxies,
                trusted => trusted.UseForwardedHeaders());
        }
        return app;
    }

    private static IEnumerable<(string Path, string Text)> Values(IConfigurationSection section, string key)
    {
        var list = section.GetSection(key);
        // One value ("10.0.0.5") or a list (KnownProxies:0, KnownProxies:1, ...; or "10.0.0.5,10.0.0.6").
        var entries = list.Value is { Length: > 0 } single ? [(list.Path, single)] : list.GetChildren().Select(child => (child.Path, child.Value ?? ""));
        return entries.SelectMany(entry => entry.Item2.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => (entry.Item1, text)));
    }

    /// <summary>Marks that forwarded headers are configured, and from which peers.</summary>
    private sealed record ForwardedHeadersEnabled(bool TrustsProxies, bool TrustsUnixSocketPeer);
}
