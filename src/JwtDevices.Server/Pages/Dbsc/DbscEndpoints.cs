using System.Globalization;
using System.Text.Json.Serialization;
using JwtDevices.Devices;
using JwtDevices.Diagnostics;
using JwtDevices.Endpoints;
using JwtDevices.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Pages.Dbsc;

/// <summary>
/// Device Bound Session Credentials (W3C WICG) for the pages: a page sign-in over HTTPS offers a bound session
/// (<c>Secure-Session-Registration</c>); the browser registers its key at <c>/page/dbsc/register/</c> and
/// proves it at <c>/page/dbsc/refresh/</c> for each new short-lived cookie. The browser makes these requests
/// itself, with no page header or <c>Origin</c>, so <see cref="PageRequestGuard"/> does not apply: the proofs
/// authenticate them.
/// </summary>
internal static partial class DbscEndpoints
{
    public const string RegistrationHeader = "Secure-Session-Registration";
    public const string ChallengeHeader = "Secure-Session-Challenge";
    public const string SessionIdHeader = "Sec-Secure-Session-Id";
    public const string RegisterPath = "/page/dbsc/register/";
    public const string RefreshPath = "/page/dbsc/refresh/";

    /// <summary>The requests that need the bound cookie; everything else on the origin (the static pages) does without.</summary>
    private const string ScopedPath = "/page/session/";

    public static RouteGroupBuilder MapPageDbsc(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/page/dbsc").ExcludeFromDescription().AllowAnonymous();
        group.AddEndpointFilter<StoreOutageFilter>();
        group.AddEndpointFilter(NoStoreFilter.InvokeAsync);
        group.MapPost("/register/", RegisterAsync).DisableAntiforgery();
        group.MapPost("/refresh/", RefreshAsync).DisableAntiforgery();
        return group;
    }

    /// <summary>Offers the browser a bound session for the device just signed in, over HTTPS alone (DBSC needs it).</summary>
    public static void OfferRegistration(HttpContext context, long deviceId)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<PageDbscOptions>>().Value;
        if (options.Enabled && context.Request.IsHttps)
        {
            var challenge = context.RequestServices.GetRequiredService<DbscChallenges>().Create(deviceId);
            context.Response.Headers[RegistrationHeader] = $"(ES256 RS256);path=\"{RegisterPath}\";challenge=\"{challenge}\"";
        }
    }

    private static async Task<IResult> RegisterAsync(
        HttpContext context, DbscProofs proofs, IDeviceStore store, DbscChallenges challenges, DbscSessionCookie cookie,
        JwtDevicesMetrics metrics, ILoggerFactory loggers, IOptions<PageDbscOptions> options, DeviceEventRaiser events)
    {
        events.HttpContext = context;
        if (!options.Value.Enabled)
        {
            return JwtDevicesProblems.DeviceNotFound();
        }
        var logger = loggers.CreateLogger(typeof(DbscEndpoints).FullName!);
        var (registration, failure) = await proofs.CheckRegistrationAsync(context.Request.Headers[DbscProofs.ResponseHeader], context.RequestAborted);
        if (registration is not null
            && !await store.BindBrowserKeyAsync(registration.DeviceId, registration.Thumbprint, registration.PublicJwk, context.RequestAborted))
        {
            // Ended since its sign-in, or bound already: a challenge registers one key, once.
            failure = DbscFailures.AlreadyBound;
        }
        if (failure is not null)
        {
            metrics.DbscProofRefused(failure);
            LogRefused(logger, "registration", failure);
            await events.DbscProofRefusedAsync("registration", failure, registration?.DeviceId);
            return JwtDevicesProblems.DbscProofRefused(failure);
        }
        var deviceId = registration!.DeviceId;
        metrics.DbscRegistered();
        LogRegistered(logger, deviceId);
        await events.DbscRegisteredAsync(deviceId, registration.Thumbprint);
        // From now on the browser holds no long-lived secret: the permanent token's cookie goes.
        PageSessionCookie.Delete(context);
        return Renew(context, deviceId, cookie, challenges);
    }

    private static async Task<IResult> RefreshAsync(
        HttpContext context, DbscProofs proofs, IDeviceStore store, DbscChallenges challenges, DbscSessionCookie cookie,
        JwtDevicesMetrics metrics, ILoggerFactory loggers, DeviceEventRaiser events)
    {
        events.HttpContext = context;
        var sessionId = context.Request.Headers[SessionIdHeader].ToString().Trim('"');
        if (!long.TryParse(sessionId, NumberStyles.None, CultureInfo.InvariantCulture, out var deviceId))
        {
            return JwtDevicesProblems.RequiredHeader(SessionIdHeader);
        }
        var device = await store.FindByIdAsync(deviceId, context.RequestAborted);
        if (device?.DbscPublicKey is null)
        {
            // Logged out, signed out everywhere, revoked or ended by reuse detection: the browser is told to stop.
            cookie.Delete(context);
            return TypedResults.Json(DbscSessionInstructions.Ended(sessionId), DbscJsonContext.Default.DbscSessionInstructions);
        }
        var proof = context.Request.Headers[DbscProofs.ResponseHeader].ToString();
        if (proof.Length > 0 && await proofs.CheckRefreshAsync(proof, device.DbscPublicKey, deviceId, context.RequestAborted) is { } failure)
        {
            metrics.DbscProofRefused(failure);
            LogRefused(loggers.CreateLogger(typeof(DbscEndpoints).FullName!), "refresh", failure);
            await events.DbscProofRefusedAsync("refresh", failure, deviceId);
            proof = string.Empty;
        }
        if (proof.Length == 0)
        {
            // A fresh challenge for the browser to sign; a refused proof gets one too, so a stale challenge costs one round trip.
            SetChallenge(context, challenges.Create(deviceId), sessionId);
            return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        }
        metrics.DbscRefreshed();
        await events.DbscRefreshedAsync(deviceId, device.UserId);
        return Renew(context, deviceId, cookie, challenges);
    }

    // A new short-lived cookie, the challenge for the next refresh (saving its 403 round trip), and the instructions.
    private static JsonHttpResult<DbscSessionInstructions> Renew(HttpContext context, long deviceId, DbscSessionCookie cookie, DbscChallenges challenges)
    {
        var sessionId = deviceId.ToString(CultureInfo.InvariantCulture);
        cookie.Write(context, deviceId);
        SetChallenge(context, challenges.Create(deviceId), sessionId);
        var request = context.Request;
        var host = request.Host.Host;
        var instructions = new DbscSessionInstructions(sessionId, RefreshPath, Continue: true,
            new DbscScope($"{request.Scheme}://{request.Host}", IncludeSite: false,
                // Most recent first: only the page's session endpoints wait for a renewed cookie.
                [new DbscScopeRule("exclude", host, "/"), new DbscScopeRule("include", host, ScopedPath)]),
            [new DbscCredential("cookie", cookie.CookieName, DbscSessionCookie.Attributes)]);
        return TypedResults.Json(instructions, DbscJsonContext.Default.DbscSessionInstructions);
    }

    private static void SetChallenge(HttpContext context, string challenge, string sessionId) =>
        context.Response.Headers[ChallengeHeader] = $"\"{challenge}\";id=\"{sessionId}\"";

    [LoggerMessage(140, LogLevel.Information, "Device {DeviceId} registered a bound browser session (DBSC).", EventName = "DbscRegistered")]
    private static partial void LogRegistered(ILogger logger, long deviceId);

    [LoggerMessage(141, LogLevel.Information, "A DBSC {Use} proof was refused: {Reason}.", EventName = "DbscProofRefused")]
    private static partial void LogRefused(ILogger logger, string use, string reason);
}

/// <summary>The session instructions of DBSC: what the browser keeps, where it renews it, and for which requests.</summary>
internal sealed record DbscSessionInstructions(
    string SessionIdentifier,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshUrl,
    bool Continue,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DbscScope? Scope,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DbscCredential>? Credentials)
{
    /// <summary><c>"continue": false</c>: the browser ends the session.</summary>
    public static DbscSessionInstructions Ended(string sessionId) => new(sessionId, null, Continue: false, null, null);
}

internal sealed record DbscScope(string Origin, bool IncludeSite, IReadOnlyList<DbscScopeRule> ScopeSpecification);

internal sealed record DbscScopeRule(string Type, string Domain, string Path);

internal sealed record DbscCredential(string Type, string Name, string Attributes);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(DbscSessionInstructions))]
internal sealed partial class DbscJsonContext : JsonSerializerContext;
