using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace JwtDevices.RateLimits;

/// <summary>
/// The limiters of log-in and refresh, partitioned by client address or by user name, on the
/// application's clock. Registered by <c>AddJwtDevicesRateLimits()</c>; one per application.
/// </summary>
internal sealed class JwtDevicesRateLimiters : IDisposable
{
    /// <summary>A user name longer than this is keyed by its hash, so that a key's size is bounded.</summary>
    private const int MaximumKeyLength = 256;

    private static readonly TimeSpan s_minute = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _failedLoginsPerClient;
    private readonly PartitionedRateLimiter<string> _failedLoginsPerName;
    private readonly KnownClients _knownClients;
    private readonly PartitionedRateLimiter<string> _logins;
    private readonly PartitionedRateLimiter<string> _refreshes;

    public JwtDevicesRateLimiters(IOptions<JwtDevicesRateLimitOptions> options, TimeProvider time)
    {
        var limits = options.Value;
        Enabled = limits.Enabled;
        _failedLoginsPerClient = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.Get(
            key, _ => new SlidingLogClockLimiter(time, limits.FailedLoginsPerUserName, limits.FailedLoginWindow)));
        _failedLoginsPerName = PartitionedRateLimiter.Create<string, string>(name => RateLimitPartition.Get(
            name, _ => new SlidingLogClockLimiter(time, limits.FailedLoginsPerUserNameFromAllClients, limits.FailedLoginWindow)));
        _knownClients = new KnownClients(time, limits.FailedLoginWindow);
        _logins = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.Get(
            client, _ => new FixedWindowClockLimiter(time, limits.LoginsPerClientPerMinute, s_minute)));
        _refreshes = PartitionedRateLimiter.Create<string, string>(client => RateLimitPartition.Get(
            client, _ => new FixedWindowClockLimiter(time, limits.RefreshesPerClientPerMinute, s_minute)));
    }

    public bool Enabled { get; }

    /// <summary>Takes one log-in of the client's address.</summary>
    public RateLimitLease AcquireLogin(HttpContext context) => _logins.AttemptAcquire(ClientKey(context));

    /// <summary>Takes one refresh of the client's address.</summary>
    public RateLimitLease AcquireRefresh(HttpContext context) => _refreshes.AttemptAcquire(ClientKey(context));

    /// <summary>
    /// Reserves one password check of the user name from the client's address, before the password is
    /// checked. A client that signed in as that user within the window (or, with <paramref name="signedIn"/>,
    /// one that proves it is signed in now) only meets its own address's limit, never the per-name ceiling
    /// that other addresses' failures fill.
    /// </summary>
    public PasswordGuess ReserveGuess(HttpContext context, string normalizedName, bool signedIn = false)
    {
        var name = UserNameKey(normalizedName);
        // A client key never holds a line break, so the last one splits the pair unambiguously.
        var clientKey = name + "\n" + ClientKey(context);
        var perClient = _failedLoginsPerClient.AttemptAcquire(clientKey);
        if (!perClient.IsAcquired)
        {
            return PasswordGuess.Refused(perClient);
        }
        if (signedIn || _knownClients.Contains(clientKey))
        {
            return new PasswordGuess(_knownClients, clientKey, perClient, perName: null);
        }
        var perName = _failedLoginsPerName.AttemptAcquire(name);
        if (!perName.IsAcquired)
        {
            perClient.Dispose();
            return PasswordGuess.Refused(perName);
        }
        return new PasswordGuess(_knownClients, clientKey, perClient, perName);
    }

    /// <summary>The client's address, for the logs. Behind a proxy, the forwarded-headers middleware must set it.</summary>
    public static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>
    /// An IPv4 address whole; an IPv6 address by its /64 network, since one host is commonly given a whole
    /// /64 and could otherwise change address at every request.
    /// </summary>
    internal static string ClientKey(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }

    private static string UserNameKey(string normalizedName) =>
        normalizedName.Length <= MaximumKeyLength
            ? normalizedName
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedName)));

    public void Dispose()
    {
        _failedLoginsPerClient.Dispose();
        _failedLoginsPerName.Dispose();
        _logins.Dispose();
        _refreshes.Dispose();
    }
}
