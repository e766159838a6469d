using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// The server on a fresh SQLite file, listening on a real loopback port so that a browser can reach it.
/// JWTs live three seconds, so that the page's renewal happens within a test.
/// </summary>
public sealed class BrowserServer : ServerFactory
{
    public BrowserServer() : this([])
    {
    }

    /// <summary>The same, with these settings on top.</summary>
    internal BrowserServer(params (string Key, string? Value)[] settings) : base([("JwtDevices:AccessTokenLifetime", "00:00:03"), .. settings])
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>The server's address, as the browser opens it: <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>A client of the real port, as any API client: it shares nothing with the browser.</summary>
    public HttpClient CreateApiClient() => new() { BaseAddress = BaseUrl };
}
