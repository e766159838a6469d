using Microsoft.Extensions.Logging;

namespace JwtDevices.Endpoints;

/// <summary>
/// Logs of refused log-ins and rate limits. They name the user name and the client address, never the
/// password; the user name is the client's text, so it is cut short and stripped of control characters.
/// </summary>
internal static partial class LoginLog
{
    private const int MaximumNameLength = 64;

    [LoggerMessage(40, LogLevel.Warning, "Log-in failed for user name \"{UserName}\" from {ClientAddress}.")]
    private static partial void LoginFailedCore(ILogger logger, string userName, string clientAddress);

    [LoggerMessage(41, LogLevel.Warning, "Log-in refused for user name \"{UserName}\" from {ClientAddress}: too many failed log-ins; retry after {RetryAfterSeconds} s.")]
    private static partial void UserNameLimitedCore(ILogger logger, string userName, string clientAddress, int retryAfterSeconds);

    [LoggerMessage(42, LogLevel.Warning, "{Endpoint} refused for {ClientAddress}: over its rate limit; retry after {RetryAfterSeconds} s.")]
    public static partial void ClientLimited(ILogger logger, string endpoint, string clientAddress, int retryAfterSeconds);

    public static void LoginFailed(ILogger logger, string userName, string clientAddress) =>
        LoginFailedCore(logger, Clean(userName), clientAddress);

    public static void UserNameLimited(ILogger logger, string userName, string clientAddress, int retryAfterSeconds) =>
        UserNameLimitedCore(logger, Clean(userName), clientAddress, retryAfterSeconds);

    internal static string Clean(string text)
    {
        var cut = text.Length <= MaximumNameLength ? text : text[..MaximumNameLength] + "…";
        return string.Create(cut.Length, cut, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
