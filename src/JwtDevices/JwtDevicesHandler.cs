using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using JwtDevices.Revocation;
using JwtDevices.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices;

/// <summary>
/// Authenticates <c>Authorization: JWT &lt;token&gt;</c> or <c>Bearer &lt;token&gt;</c>. The signature is
/// checked first, with the device key that the token's <c>kid</c> names (derived from the master key);
/// then the device must not be among those revoked recently. Neither step costs I/O. Failures carry only
/// the fixed texts of <see cref="TokenFailures"/>, which the framework logs; the token itself goes nowhere.
/// </summary>
internal sealed class JwtDevicesHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccessTokenService tokens,
    RevokedDevices revoked,
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

        var result = await tokens.ValidateAsync(jwt);
        if (!result.IsValid)
        {
            return AuthenticateResult.Fail(result.Exception is SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException
                ? TokenFailures.Expired
                : TokenFailures.Invalid);
        }

        if (jwt.TryGetPayloadValue<string>(JwtDevicesClaimTypes.DeviceId, out var deviceClaim))
        {
            // We signed it, so the claim is ours: a number, and never reused.
            if (!long.TryParse(deviceClaim, NumberStyles.None, CultureInfo.InvariantCulture, out var deviceId) || revoked.Contains(deviceId))
            {
                return AuthenticateResult.Fail(TokenFailures.Invalid);
            }
        }
        else if (options.Value.EnablePermanentTokens)
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
