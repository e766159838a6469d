using System.Net;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests;

/// <summary>
/// Behind a reverse proxy named in <c>ForwardedHeaders</c>, the server sees the client's address and
/// scheme from <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, and only when the proxy sent them.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Client = "203.0.113.7";

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.0.0.5", "10.0.0.5", $"{Client} https")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.0.0.0/8", "10.0.0.5", $"{Client} https")]
    [InlineData("ForwardedHeaders:KnownProxies", "10.0.0.5, 10.0.0.6", "10.0.0.6", $"{Client} https")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.0.0.5", "198.51.100.9", "198.51.100.9 http")] // not the proxy: ignored
    [InlineData("Unrelated:Setting", "x", "10.0.0.5", "10.0.0.5 http")]                               // no proxy configured: ignored
    public async Task TheClientAddressAndScheme_ComeFromAKnownProxyOnly(string setting, string value, string peer, string seen)
    {
        using var server = new ProxiedServer(IPAddress.Parse(peer), (setting, value));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/test/connection");
        request.Headers.Add("X-Forwarded-For", Client);
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await server.CreateClient().SendAsync(request);

        Assert.Equal(seen, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The server, with requests arriving from <paramref name="peer"/>, and an unmapped path that tells what it sees.</summary>
    private sealed class ProxiedServer(IPAddress peer, params (string Key, string? Value)[] settings) : ServerFactory(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new Peer(peer)));
        }
    }

    private sealed class Peer(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, rest) =>
            {
                context.Connection.RemoteIpAddress = address;
                return rest(context);
            });
            next(app);
            app.Run(context => context.Response.WriteAsync($"{context.Connection.RemoteIpAddress} {context.Request.Scheme}"));
        };
    }
}
