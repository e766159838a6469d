using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace JwtDevices.Endpoints;

/// <summary>
/// Logs of refused log-ins and rate limits. They name the client address and a keyed hash of the user name,
/// never the typed name itself (people type their password there) nor the password. The key is random per
/// process: one node's lines about one name share a hash, and no list of names can be hashed to match them.
/// </summary>
internal static partial class LoginLog
{
    private static readonly byte[] s_nameKey = RandomNumberGenerator.GetBytes(32);

    [LoggerMessage(40, LogLevel.Warning, "Log-in failed for user name hash {UserNameHash} from {ClientAddress}.")]
    private static partial void LoginFailedCore(ILogger logger, string userNameHash, string clientAddress);

    [LoggerMessage(41, LogLevel.Warning, "Log-in refused for user name hash {UserNameHash} from {ClientAddress}: too many failed log-ins; retry after {RetryAfterSeconds} s.")]
    private static partial void UserNameLimitedCore(ILogger logger, string userNameHash, string clientAddress, int retryAfterSeconds);

    [LoggerMessage(42, LogLevel.Warning, "{Endpoint} refused for {ClientAddress}: over its rate limit; retry after {RetryAfterSeconds} s.")]
    public static partial void ClientLimited(ILogger logger, string endpoint, string clientAddress, int retryAfterSeconds);

    public static void LoginFailed(ILogger logger, string normalizedName, string clientAddress) =>
        LoginFailedCore(logger, NameHash(normalizedName), clientAddress);

    public static void UserNameLimited(ILogger logger, string normalizedName, string clientAddress, int retryAfterSeconds) =>
        UserNameLimitedCore(logger, NameHash(normalizedName), clientAddress, retryAfterSeconds);

    /// <summary>The first 64 bits of an HMAC-SHA256 of the normalized name, in hex.</summary>
    internal static string NameHash(string normalizedName) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(s_nameKey, Encoding.UTF8.GetBytes(normalizedName)).AsSpan(0, 8));
}
