using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using JwtDevices.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace JwtDevices;

/// <summary>
/// Authenticates <c>Authorization: JWT &lt;token&gt;</c> or <c>Bearer &lt;token&gt;</c> with the key of the
/// device named in the token. A token whose device is gone is refused. Failures carry only the fixed
/// texts of <see cref="TokenFailures"/>, which the framework logs; the token itself goes nowhere.
/// </summary>
internal sealed class JwtDevicesHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccessTokenService tokens,
    DeviceCredentialCache cache,
    IOptions<JwtDevicesOptions> options)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken(Request.Headers.Authorization.ToString());
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var jwt = tokens.TryRead(token);
        if (jwt is null)
        {
            return AuthenticateResult.Fail(TokenFailures.Malformed);
        }

        var credentials = await FindCredentialsAsync(jwt);
        if (credentials is null)
        {
            return AuthenticateResult.Fail(jwt.TryGetPayloadValue<string>(JwtDevicesClaimTypes.DeviceId, out _) ? TokenFailures.DeviceGone : TokenFailures.NoDevice);
        }

        var result = await tokens.ValidateAsync(jwt, credentials);
        if (!result.IsValid)
        {
            return AuthenticateResult.Fail(result.Exception is Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException
                or Microsoft.IdentityModel.Tokens.SecurityTokenInvalidLifetimeException
                ? TokenFailures.Expired
                : TokenFailures.Invalid);
        }

        // Defence in depth: one device's key must not speak for another user.
        if (!IsOwner(jwt, credentials))
        {
            return AuthenticateResult.Fail(TokenFailures.Invalid);
        }

        var principal = new ClaimsPrincipal(result.ClaimsIdentity);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var authResult = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var failure = authResult.Failure?.Message;
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{failure}\"";
        await JwtDevicesProblems.Unauthorized(failure).ExecuteAsync(Context);
    }

    private async ValueTask<DeviceCredentials?> FindCredentialsAsync(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<string>(JwtDevicesClaimTypes.DeviceId, out var deviceClaim))
        {
            // Tokens without a device exist only in plain JWT mode and cannot be revoked, so only that mode takes them.
            return options.Value.EnablePermanentTokens ? null : tokens.MasterCredentials;
        }
        if (!long.TryParse(deviceClaim, NumberStyles.None, CultureInfo.InvariantCulture, out var deviceId))
        {
            return null;
        }
        return await cache.GetAsync(deviceId, Context.RequestServices, Context.RequestAborted);
    }

    private static bool IsOwner(JsonWebToken jwt, DeviceCredentials credentials)
    {
        if (credentials.UserId is null)
        {
            return true;
        }
        if (credentials.NumericUserId is { } numericOwner)
        {
            return jwt.TryGetPayloadValue<long>(JwtDevicesClaimTypes.UserId, out var numericId) && numericId == numericOwner;
        }
        return jwt.TryGetPayloadValue<string>(JwtDevicesClaimTypes.UserId, out var userId)
            && string.Equals(userId, credentials.UserId, StringComparison.Ordinal);
    }

    // Accepts the seed's "JWT" prefix and the standard "Bearer", in any case.
    private static string? ReadToken(string authorization)
    {
        foreach (var prefix in s_prefixes)
        {
            if (authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var token = authorization[prefix.Length..].Trim();
                return token.Length == 0 ? null : token;
            }
        }
        return null;
    }

    private static readonly string[] s_prefixes = ["JWT ", "Bearer "];
}
