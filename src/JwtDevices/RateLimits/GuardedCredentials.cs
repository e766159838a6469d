using JwtDevices.Endpoints;
using JwtDevices.Users;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JwtDevices.RateLimits;

/// <summary>
/// Checks log-in credentials under the failed-log-in limits of the user name and client address, and logs
/// every failure with a keyed hash of the user name and the client address. Every log-in endpoint goes through here, so no door skips the limit.
/// </summary>
internal static class GuardedCredentials
{
    private const string LoggerCategory = "JwtDevices.Endpoints.Login";

    /// <returns>
    /// The user; or no user and no refusal for wrong credentials; or the 429 to answer when the user name has
    /// had too many failures from this client, or from all clients and this one is not known (the password is then not checked at all, so a guesser learns nothing).
    /// </returns>
    public static async Task<(JwtDevicesUser? User, ProblemHttpResult? Limited)> ValidateAsync(
        HttpContext context, IUserCredentialValidator users, string username, string password)
    {
        var services = context.RequestServices;
        var limiters = services.GetService<JwtDevicesRateLimiters>() is { Enabled: true } enabled ? enabled : null;
        var normalizedName = services.GetService<ILookupNormalizer>()?.NormalizeName(username) ?? username.ToUpperInvariant();
        // Counted before the password is checked, so that concurrent guesses cannot overshoot the limit.
        using var guess = limiters?.ReserveGuess(context, normalizedName);
        if (guess?.Refusal is { } refused)
        {
            var refusal = RateLimitFilter.Refuse(context, refused, out var seconds);
            LoginLog.UserNameLimited(Logger(services), normalizedName, JwtDevicesRateLimiters.ClientAddress(context), seconds);
            return (null, refusal);
        }

        var user = await users.ValidateCredentialsAsync(username, password, context.RequestAborted);
        if (user is null)
        {
            LoginLog.LoginFailed(Logger(services), normalizedName, JwtDevicesRateLimiters.ClientAddress(context));
            guess?.Failed();
        }
        else
        {
            guess?.Succeeded();
        }
        return (user, null);
    }

    private static ILogger Logger(IServiceProvider services) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
}
