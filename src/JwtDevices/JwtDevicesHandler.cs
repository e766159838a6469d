using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using JwtDevices.Diagnostics;
using JwtDevices.Dpop;
using JwtDevices.Endpoints;
using JwtDevices.Revocation;
using JwtDevices.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices;

/// <summary>
/// Authenticates <c>Authorization: JWT &lt;token&gt;</c> or <c>Bearer &lt;token&gt;</c> (or the token an
/// <see cref="JwtDevicesEvents.MessageReceived"/> handler finds). The signature is checked first, with
/// the device key that the token's <c>kid</c> names (derived from the master key); then the device must
/// not be among those revoked recently. Neither step costs I/O, and with no event handler set a good
/// token costs no allocation here beyond the principal. A token seen before skips the parsing and the
/// signature (<see cref="ValidatedTokens"/>), never the lifetime or the revocation check. A refused token is logged once, counted
/// and raises <see cref="JwtDevicesEvents.AuthenticationFailed"/>, with only the fixed texts of <see cref="TokenFailures"/>:
/// the token itself goes nowhere. A token bound to a DPoP key (<c>cnf.jkt</c>) must come as
/// <c>Authorization: DPoP</c> with a proof by that key (<see cref="DpopProofs"/>); the check reads only the token and
/// the proof, so an unbound token's path is the same as before but for one null check.
/// </summary>
internal sealed class JwtDevicesHandler(
    IOptionsMonitor<JwtDevicesOptions> schemeOptions,
    HandlerLoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccessTokenService tokens,
    ValidatedTokens validatedTokens,
    RevokedDevices revoked,
    JwtDevicesMetrics metrics,
    IOptions<JwtDevicesOptions> sharedOptions,
    DpopProofs dpop)
    : AuthenticationHandler<JwtDevicesOptions>(schemeOptions, loggerFactory, encoder)
{
    // Whether the request named the DPoP scheme: its challenge then names DPoP too (RFC 9449 §7.1).
    private bool _dpopScheme;

    /// <summary>The events of this scheme, from <c>Options.Events</c> or <c>Options.EventsType</c>.</summary>
    private new JwtDevicesEvents Events
    {
        get => (JwtDevicesEvents)base.Events!;
        set => base.Events = value;
    }

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new JwtDevicesEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token;
        if (Events.ListensToMessageReceived)
        {
            var messageReceived = new MessageReceivedContext(Context, Scheme, Options);
            await Events.MessageReceived(messageReceived);
            if (messageReceived.Result is not null)
            {
                return messageReceived.Result;
            }
            token = string.IsNullOrEmpty(messageReceived.Token) ? ReadToken(Request.Headers.Authorization.ToString(), out _dpopScheme) : messageReceived.Token;
        }
        else
        {
            token = ReadToken(Request.Headers.Authorization.ToString(), out _dpopScheme);
        }
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        // A token validated just now comes with the identity its validation made; a cached one makes a copy below.
        ClaimsIdentity? identity = null;
        if (!validatedTokens.TryGet(token, out var validated))
        {
            var (checkedToken, failure, reason) = await ValidateAsync(token);
            if (checkedToken is null)
            {
                return await RefuseAsync(failure!, reason!);
            }
            (validated, identity) = checkedToken.Value;
        }
        else if (!tokens.IsWithinLifetime(validated.NotBefore, validated.Expires))
        {
            return await RefuseAsync(TokenFailures.ExpiredToken(validated.Expires), "expired");
        }
        // Checked on every request, a cached token's too: a device logged out a moment ago is refused now.
        if (validated.DeviceId is { } deviceId && revoked.Contains(deviceId))
        {
            return await RefuseAsync(TokenFailures.InvalidToken(), "device_gone");
        }
        if (validated.KeyThumbprint is not null || _dpopScheme)
        {
            var dpopFailure = await CheckDpopAsync(token, validated);
            if (dpopFailure != DpopFailure.None)
            {
                return await RefuseDpopAsync(dpopFailure, validated.DeviceId);
            }
        }

        var principal = new ClaimsPrincipal(identity ?? validated.CreateIdentity());
        if (Events.ListensToTokenValidated)
        {
            return await RaiseTokenValidatedAsync(principal, validated.Jwt, validated.DeviceId);
        }
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    // The full check of a token not seen before: its form, signature, algorithm, lifetime and device claim.
    private async Task<((ValidatedToken Token, ClaimsIdentity Identity)? Checked, Exception? Failure, string? Reason)> ValidateAsync(string token)
    {
        var jwt = tokens.TryRead(token);
        if (jwt is null)
        {
            return (null, TokenFailures.MalformedToken(), "malformed");
        }

        var result = await tokens.ValidateAsync(jwt);
        if (!result.IsValid)
        {
            return result.Exception is SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException
                ? (null, TokenFailures.ExpiredToken(jwt.ValidTo), "expired")
                : (null, TokenFailures.InvalidToken(), "invalid");
        }

        long? deviceId = null;
        if (jwt.TryGetPayloadValue<string>(JwtDevicesClaimTypes.DeviceId, out var deviceClaim))
        {
            // We signed it, so the claim is ours: a number, and never reused.
            if (!long.TryParse(deviceClaim, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return (null, TokenFailures.InvalidToken(), "device_gone");
            }
            deviceId = id;
        }
        else if (sharedOptions.Value.EnablePermanentTokens)
        {
            return (null, TokenFailures.InvalidToken(), "no_device");
        }
        // A device's tokens share its places in the cache; in plain JWT mode, a user's do.
        var owner = deviceClaim ?? DeviceKeys.UserIdOf(jwt) ?? token;
        var identity = result.ClaimsIdentity;
        var keyThumbprint = AccessTokenService.KeyThumbprintOf(jwt);
        PrincipalClaims.AddTo(identity, keyThumbprint);
        return ((validatedTokens.Add(token, jwt, identity, deviceId, keyThumbprint, owner), identity), null, null);
    }

    // A bound token needs the DPoP scheme and a proof by its key, made for this request and this token, used once.
    private async ValueTask<DpopFailure> CheckDpopAsync(string token, ValidatedToken validated)
    {
        var keyThumbprint = validated.KeyThumbprint;
        if (!_dpopScheme)
        {
            return DpopFailure.BoundTokenWithoutDpop;
        }
        if (keyThumbprint is null)
        {
            return DpopFailure.UnboundToken;
        }
        var (proof, readFailure) = DpopProofs.Read(Request);
        if (proof is null)
        {
            return readFailure == DpopFailure.None ? DpopFailure.Missing : readFailure;
        }
        var check = await dpop.CheckAsync(Context, proof, validated.AccessTokenHash(token));
        if (check.Failure != DpopFailure.None)
        {
            return check.Failure;
        }
        if (!string.Equals(check.Thumbprint, keyThumbprint, StringComparison.Ordinal))
        {
            return DpopFailure.KeyMismatch;
        }
        Context.Features.Set<IJwtDevicesDpopFeature>(new JwtDevicesDpopFeature(keyThumbprint));
        dpop.AddNonce(Response);
        return DpopFailure.None;
    }

    private async Task<AuthenticateResult> RefuseDpopAsync(DpopFailure failure, long? deviceId)
    {
        dpop.LogRefused(Context, failure, DpopUses.Request);
        await Events.DpopProofRefused(new DpopProofRefusedContext(Context.RequestServices, sharedOptions.Value, Context, DpopUses.Request,
            failure.Error(), failure.Describe(), deviceId));
        return await RefuseAsync(new DpopProofException(failure), "dpop");
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var authResult = await HandleAuthenticateOnceSafeAsync();
        var failure = authResult.Failure;
        var dpopFailure = failure as DpopProofException;
        // RFC 6750 3.1: a request that presented no token gets a challenge without an error code.
        var challenge = new JwtDevicesChallengeContext(Context, Scheme, Options, properties)
        {
            AuthenticateFailure = failure,
            Error = failure is null ? null : dpopFailure?.Error ?? JwtDevicesErrors.InvalidToken,
            ErrorDescription = failure?.Message,
        };
        await Events.Challenge(challenge);
        if (challenge.Handled)
        {
            return;
        }
        if (failure is null)
        {
            Log.ChallengedWithoutToken(Logger, Request.Path);
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (dpopFailure is not null || _dpopScheme)
        {
            // RFC 9449 §7.1: the DPoP scheme's challenge, with the algorithms a proof may use.
            Response.Headers.WWWAuthenticate = challenge.Error is null
                ? $"DPoP algs=\"{dpop.Algorithms}\""
                : challenge.ErrorDescription is null
                    ? $"DPoP error=\"{challenge.Error}\", algs=\"{dpop.Algorithms}\""
                    : $"DPoP error=\"{challenge.Error}\", error_description=\"{challenge.ErrorDescription}\", algs=\"{dpop.Algorithms}\"";
            if (dpopFailure?.Failure == DpopFailure.Nonce)
            {
                dpop.AddNonce(Response);
            }
        }
        else
        {
            Response.Headers.WWWAuthenticate = challenge.Error is null
                ? "Bearer"
                : challenge.ErrorDescription is null
                    ? $"Bearer error=\"{challenge.Error}\""
                    : $"Bearer error=\"{challenge.Error}\", error_description=\"{challenge.ErrorDescription}\"";
        }
        // The body says what the header says: the same error code, or none.
        await JwtDevicesProblems.Unauthorized(challenge.Error, challenge.ErrorDescription).ExecuteAsync(Context);
    }

    // As JwtBearer: the status is 403 before the application's handler runs.
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Events.Forbidden(new ForbiddenContext(Context, Scheme, Options));
    }

    private async Task<AuthenticateResult> RaiseTokenValidatedAsync(ClaimsPrincipal principal, JsonWebToken jwt, long? deviceId)
    {
        var validated = new TokenValidatedContext(Context, Scheme, Options, jwt) { Principal = principal, DeviceId = deviceId };
        await Events.TokenValidated(validated);
        if (validated.Result is not null)
        {
            if (validated.Result.Failure is not null)
            {
                Log.AccessTokenRefused(Logger, Request.Path, "The TokenValidated event refused it.");
                metrics.AuthenticationFailed("event");
            }
            return validated.Result;
        }
        validated.Success();
        return validated.Result!;
    }

    // The one log line, measurement and AuthenticationFailed event of a refused token, however often the
    // framework asks; the event may still accept the request, or leave it to other schemes.
    private async Task<AuthenticateResult> RefuseAsync(Exception failure, string reason)
    {
        Log.AccessTokenRefused(Logger, Request.Path, failure.Message);
        metrics.AuthenticationFailed(reason);
        var failed = new AuthenticationFailedContext(Context, Scheme, Options, failure);
        await Events.AuthenticationFailed(failed);
        return failed.Result ?? AuthenticateResult.Fail(failed.Exception);
    }

    // Accepts the seed's "JWT" prefix, the standard "Bearer" and RFC 9449's "DPoP", in any case.
    private static string? ReadToken(string authorization, out bool dpopScheme)
    {
        dpopScheme = false;
        foreach (var prefix in s_prefixes)
        {
            if (authorization.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                dpopScheme = ReferenceEquals(prefix, DpopPrefix);
                var token = authorization[prefix.Length..].Trim();
                return token.Length == 0 ? null : token;
            }
        }
        return null;
    }

    private const string DpopPrefix = DpopProofs.Header + " ";

    private static readonly string[] s_prefixes = ["JWT ", "Bearer ", DpopPrefix];
}
