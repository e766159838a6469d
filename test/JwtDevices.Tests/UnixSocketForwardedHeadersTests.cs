using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests;

/// <summary>
/// Behind a proxy that reaches the server over a Unix socket, the peer has no address: with
/// <c>ForwardedHeaders:TrustUnixSocketPeer</c> each client gets its own address from <c>X-Forwarded-For</c>,
/// and so its own rate-limit bucket; without it the headers are ignored, even with known proxies named.
/// </summary>
public sealed class UnixSocketForwardedHeadersTests
{
    [Fact]
    public async Task TrustingTheSocketPeer_GivesEachForwardedClientItsOwnBucket()
    {
        using var server = new UnixSocketServer(("ForwardedHeaders:TrustUnixSocketPeer", "true"), ("RateLimits:LoginsPerClientPerMinute", "1"));
        using var client = server.CreateSocketClient();

        using var first = await LoginAsync(client, "203.0.113.50");
        using var second = await LoginAsync(client, "203.0.113.51");
        using var again = await LoginAsync(client, "203.0.113.50");

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
        Assert.Contains(server.LogLines, line => line.Contains("[40]", StringComparison.Ordinal) && line.Contains("from 203.0.113.51", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutTheSetting_TheSocketPeersHeadersAreIgnored_EvenWithKnownProxies()
    {
        using var server = new UnixSocketServer(("ForwardedHeaders:KnownProxies", "127.0.0.1"), ("RateLimits:LoginsPerClientPerMinute", "1"));
        using var client = server.CreateSocketClient();

        using var first = await LoginAsync(client, "203.0.113.50");
        using var second = await LoginAsync(client, "203.0.113.51");

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.DoesNotContain(server.LogLines, line => line.Contains("203.0.113.5", StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/auth-token/") { Content = JsonContent.Create(new { username = "socket_nobody", password = "wrong" }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    /// <summary>The server on a fresh SQLite file, listening on a Unix socket of its own, with the rate limits on.</summary>
    private sealed class UnixSocketServer : ServerFactory
    {
        private readonly string _socketPath = Path.Combine(Path.GetTempPath(), $"jwtd-{Guid.NewGuid():N}.sock");

        public UnixSocketServer(params (string Key, string? Value)[] settings) : base([("RateLimits:Enabled", "true"), .. settings])
        {
            UseKestrel(options => options.ListenUnixSocket(_socketPath));
            StartServer();
        }

        public HttpClient CreateSocketClient() => new(new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        })
        { BaseAddress = new Uri("http://localhost/") };

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            File.Delete(_socketPath);
        }
    }
}
