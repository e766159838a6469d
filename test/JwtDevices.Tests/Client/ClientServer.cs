using System.Collections.Concurrent;
using System.Net;
using JwtDevices.Client;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Client;

/// <summary>
/// The real server on a real loopback port, as a .NET client meets it, counting at the server the refreshes it
/// granted and the reuses it detected (its own events). JWTs live five minutes on the server's fake clock.
/// </summary>
public sealed class ClientServer : ServerFactory
{
    private int _refreshes;
    private int _reuses;

    public ClientServer(params (string Key, string? Value)[] settings)
        : this(configureDpop: null, settings)
    {
    }

    /// <summary>A server whose DPoP settings <paramref name="configureDpop"/> sets (in code: the server's own settings check does not list them).</summary>
    public ClientServer(Action<JwtDevicesDpopOptions>? configureDpop, params (string Key, string? Value)[] settings)
        : base([("JwtDevices:AccessTokenLifetime", "00:05:00"), .. settings])
    {
        if (configureDpop is not null)
        {
            WithServices(services => services.Configure(configureDpop));
        }
        WithServices(services => services.Configure<JwtDevicesOptions>(JwtDevicesDefaults.AuthenticationScheme, options =>
        {
            options.Events.OnTokenRefreshed = _ =>
            {
                Interlocked.Increment(ref _refreshes);
                return Task.CompletedTask;
            };
            options.Events.OnReuseDetected = _ =>
            {
                Interlocked.Increment(ref _reuses);
                return Task.CompletedTask;
            };
        }));
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/");
        Clock = new SkippingClock(Time);
    }

    public Uri BaseUrl { get; }

    /// <summary>The client's clock: the server's, where a wait of the client moves it on at once.</summary>
    public SkippingClock Clock { get; }

    /// <summary>Refreshes the server granted.</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>Rotated permanent tokens the server saw presented again.</summary>
    public int Reuses => Volatile.Read(ref _reuses);

    public JwtDevicesClientOptions Options(IJwtDevicesTokenStore? store = null) => new()
    {
        ServerAddress = BaseUrl,
        TimeProvider = Clock,
        TokenStore = store ?? new InMemoryJwtDevicesTokenStore(),
    };

    /// <summary>A client whose calls to the server pass through <paramref name="backchannel"/> (a test handler) to the real port.</summary>
    public static JwtDevicesClient CreateJwtDevicesClient(JwtDevicesClientOptions options, DelegatingHandler? backchannel = null)
    {
        HttpMessageHandler handler = new SocketsHttpHandler();
        if (backchannel is not null)
        {
            backchannel.InnerHandler = handler;
            handler = backchannel;
        }
        return new JwtDevicesClient(new HttpClient(handler), options);
    }

    /// <summary>An API client of the real port whose requests carry <paramref name="client"/>'s JWT.</summary>
    public HttpClient CreateApiClient(JwtDevicesClient client) =>
        new(client.CreateHandler(new SocketsHttpHandler())) { BaseAddress = BaseUrl };

    private static readonly string[] s_suffixes = ["", "-wal", "-shm"];

    /// <summary>Makes the SQLite file unreachable, as a database outage does.</summary>
    public void TakeTheDatabaseAway()
    {
        foreach (var suffix in s_suffixes.Where(suffix => File.Exists(DatabasePath + suffix)))
        {
            File.Move(DatabasePath + suffix, DatabasePath + ".away" + suffix);
        }
        Directory.CreateDirectory(DatabasePath);
        // Only after the move: a background read the clock's advance set off (the revocation poll) could otherwise
        // open a connection between the two and leave it pooled, holding the moved file, for the next request.
        SqliteConnection.ClearAllPools();
    }

    public void BringTheDatabaseBack()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(DatabasePath);
        foreach (var suffix in s_suffixes.Where(suffix => File.Exists(DatabasePath + ".away" + suffix)))
        {
            File.Move(DatabasePath + ".away" + suffix, DatabasePath + suffix);
        }
    }
}

/// <summary>
/// The server's fake clock, seen by the client: a wait the client starts (a retry's delay) moves the clock on by
/// its length and ends at once, and is recorded, so that tests see how long the client chose to wait.
/// </summary>
public sealed class SkippingClock(Microsoft.Extensions.Time.Testing.FakeTimeProvider time) : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Waits { get; } = new();

    public override DateTimeOffset GetUtcNow() => time.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime > TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            Waits.Enqueue(dueTime);
            time.Advance(dueTime);
        }
        return System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }
}

/// <summary>Below the client's refresh logic: records each answer to the refresh, and can drop the next one after the server acted on it.</summary>
public sealed class RefreshWire : DelegatingHandler
{
    private int _dropNext;

    public ConcurrentQueue<(HttpStatusCode Status, TimeSpan? RetryAfter)> Answers { get; } = new();

    public int Attempts => Answers.Count;

    public void DropNextAnswer() => Volatile.Write(ref _dropNext, 1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (!request.RequestUri!.AbsolutePath.StartsWith("/device-refresh-token", StringComparison.Ordinal))
        {
            return response;
        }
        Answers.Enqueue((response.StatusCode, response.Headers.RetryAfter?.Delta));
        if (Interlocked.Exchange(ref _dropNext, 0) == 1)
        {
            // The server processed the refresh (and rotated); the connection drops before the client reads it.
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            response.Dispose();
            throw new HttpRequestException("The connection was closed before the answer arrived.", new IOException("Connection reset by peer."));
        }
        return response;
    }
}
