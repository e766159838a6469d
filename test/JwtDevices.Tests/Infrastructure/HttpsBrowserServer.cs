using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// The server outside Development on a fresh SQLite file, over HTTPS on a real loopback port with
/// <see cref="TestCertificate"/>, as a browser must reach it for Device Bound Session Credentials. It runs on the
/// real clock, as the browser does: cookie lifetimes are counted by both.
/// </summary>
public sealed class HttpsBrowserServer : ServerFactory
{
    internal HttpsBrowserServer(params (string Key, string? Value)[] settings)
        : base([("environment", "Production"), ("JwtDevices:AccessTokenLifetime", "00:00:03"), .. settings])
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(TestCertificate.Localhost);
        }));
        WithServices(services => services.AddSingleton(TimeProvider.System));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary><c>https://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseUrl { get; }
}
