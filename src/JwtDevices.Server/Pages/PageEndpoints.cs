using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using JwtDevices.Devices;
using JwtDevices.Endpoints;
using JwtDevices.RateLimits;
using JwtDevices.Revocation;
using JwtDevices.Server.Admin;
using JwtDevices.Server.Pages.Dbsc;
using JwtDevices.Server.Users;
using JwtDevices.Tokens;
using JwtDevices.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace JwtDevices.Server.Pages;

/// <summary>
/// The page's own sign-in, refresh and sign-out. They answer with a JWT, which the page keeps in memory;
/// the permanent token goes only into <see cref="PageSessionCookie"/>. Every one of them is guarded by
/// <see cref="PageRequestGuard"/>, since the cookie (or, at sign-in, the password) authenticates them.
/// </summary>
internal static class PageEndpoints
{
    public static RouteGroupBuilder MapPageSession(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/page").ExcludeFromDescription().AllowAnonymous();
        group.AddEndpointFilter(PageRequestGuard.InvokeAsync);
        group.AddEndpointFilter<StoreOutageFilter>();
        group.AddEndpointFilter(NoStoreFilter.InvokeAsync);
        group.MapPost("/login/", LoginAsync).AddEndpointFilter(RateLimitFilter.LoginsAsync).DisableAntiforgery();
        group.MapPost("/session/refresh/", RefreshAsync).AddEndpointFilter(RateLimitFilter.RefreshesAsync).DisableAntiforgery();
        group.MapPost("/session/logout/", LogoutAsync).DisableAntiforgery();
        return group;
    }

    private static async Task<IResult> LoginAsync(
        HttpContext context, IUserCredentialValidator users, DeviceService devices, UserManager<ServerUser> accounts,
        IOptions<JwtDevicesOptions> options, IOptions<PageDbscOptions> dbsc)
    {
        var cancellationToken = context.RequestAborted;
        var (request, problem) = await LoginForm.ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var (username, password) = (request!.Username, request.Password);
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return JwtDevicesProblems.RequiredFields(
                new[] { ("username", username), ("password", password) }
                    .Where(field => string.IsNullOrEmpty(field.Item2))
                    .Select(field => field.Item1));
        }
        if (!options.Value.EnablePermanentTokens)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
                detail: "The page needs permanent tokens (JwtDevices:EnablePermanentTokens).");
        }

        var (user, limited) = await GuardedCredentials.ValidateAsync(context, users, username, password);
        if (limited is not null)
        {
            return limited;
        }
        if (user is null)
        {
            return JwtDevicesProblems.InvalidCredentials();
        }
        var userAgent = context.Request.Headers.UserAgent.ToString();
        var login = await devices.LoginAsync(user, DeviceNames.Clean(BrowserNames.FromUserAgent(userAgent)), DeviceNames.Clean(userAgent), null, cancellationToken);
        if (login.UserInactive)
        {
            return JwtDevicesProblems.InvalidCredentials();
        }
        if (login.Token is null)
        {
            return JwtDevicesProblems.DeviceLimitReached();
        }
        // With DBSC required, only a bound session keeps the page signed in: the registration sets its cookie.
        if (!dbsc.Value.Require)
        {
            PageSessionCookie.Write(context, login.PermanentToken!, options);
        }
        DbscEndpoints.OfferRegistration(context, login.DeviceId!.Value);
        return await SessionAsync(login.Token, accounts, options);
    }

    // Being signed out is the page's ordinary state, not an error: a browser logs every 4xx in its console,
    // so "no session to renew" (no cookie, or its device has ended) is 204, and the page shows its sign-in.
    private static async Task<IResult> RefreshAsync(
        HttpContext context, DeviceService devices, UserManager<ServerUser> accounts, IOptions<JwtDevicesOptions> options,
        DbscSessionCookie boundCookie, IOptions<PageDbscOptions> dbsc)
    {
        var permanentToken = PageSessionCookie.Read(context);
        if (string.IsNullOrEmpty(permanentToken) || dbsc.Value.Require)
        {
            return await RefreshBoundAsync(context, devices, accounts, options, boundCookie, permanentToken is not null);
        }
        var result = await devices.RefreshAsync(permanentToken, null, context.RequestAborted);
        if (result.Failure != RefreshFailure.None)
        {
            PageSessionCookie.Delete(context);
            return TypedResults.NoContent();
        }
        // Sliding, as the device's own lifetime is; with rotation on, the cookie takes the successor.
        PageSessionCookie.Write(context, result.PermanentToken ?? permanentToken, options);
        return await SessionAsync(result.Token!, accounts, options);
    }

    // A browser bound by DBSC renews its short-lived cookie with its key before this request reaches the server.
    private static async Task<IResult> RefreshBoundAsync(
        HttpContext context, DeviceService devices, UserManager<ServerUser> accounts, IOptions<JwtDevicesOptions> options,
        DbscSessionCookie boundCookie, bool unboundCookie)
    {
        if (unboundCookie)
        {
            PageSessionCookie.Delete(context);
        }
        if (boundCookie.Read(context) is not { } deviceId)
        {
            return TypedResults.NoContent();
        }
        var result = await devices.RefreshBrowserBoundAsync(deviceId, context.RequestAborted);
        if (result.Failure != RefreshFailure.None)
        {
            boundCookie.Delete(context);
            return TypedResults.NoContent();
        }
        return await SessionAsync(result.Token!, accounts, options);
    }

    private static async Task<NoContent> LogoutAsync(
        HttpContext context, IDeviceStore store, IDeviceRevocationService revocations, DbscSessionCookie boundCookie)
    {
        if (boundCookie.Read(context) is { } boundDevice)
        {
            // The DBSC session ends at the browser's next refresh, which finds the device gone.
            await revocations.RevokeAsync(boundDevice, null, DeviceRevocationReason.LoggedOut, context.RequestAborted);
            boundCookie.Delete(context);
        }
        // A rotating token names its device; a seed-form one is found by its hash.
        var presented = PresentedPermanentToken.TryRead(PageSessionCookie.Read(context) ?? string.Empty);
        var device = presented switch
        {
            null => null,
            { Rotated: { } rotated } => await store.FindByIdAsync(rotated.DeviceId, context.RequestAborted),
            _ => await store.FindByPermanentTokenHashAsync(presented.Hash, context.RequestAborted),
        };
        if (device is not null && CryptographicOperations.FixedTimeEquals(device.PermanentTokenHash, presented!.Hash))
        {
            await revocations.RevokeAsync(device.Id, device.UserId, DeviceRevocationReason.LoggedOut, context.RequestAborted);
        }
        PageSessionCookie.Delete(context);
        return TypedResults.NoContent();
    }

    // The page learns who it is and when to refresh from the answer; it need not parse the JWT. Whether the
    // user is an administrator only decides whether the page shows its link: the admin API checks for itself.
    private static async Task<JsonHttpResult<PageSession>> SessionAsync(
        string token, UserManager<ServerUser> accounts, IOptions<JwtDevicesOptions> options)
    {
        var jwt = new JsonWebToken(token);
        jwt.TryGetPayloadValue<string>(JwtDevicesClaimTypes.DeviceId, out var deviceId);
        jwt.TryGetPayloadValue<string>(JwtDevicesClaimTypes.Username, out var username);
        jwt.TryGetPayloadValue<long>(JwtDevicesClaimTypes.UserId, out var userId);
        var isAdmin = await AdminAccess.IsAdminAsync(userId.ToString(CultureInfo.InvariantCulture), accounts);
        return TypedResults.Json(
            new PageSession(token, (int)options.Value.AccessTokenLifetime.TotalSeconds,
                long.Parse(deviceId!, CultureInfo.InvariantCulture), username ?? string.Empty, isAdmin),
            PagesJsonContext.Default.PageSession);
    }
}

/// <summary>
/// What the page's sign-in and refresh answer: a JWT, its lifetime in seconds, who it is for, and whether
/// they are an administrator (to show the admin page's link).
/// </summary>
internal sealed record PageSession(string Token, int ExpiresIn, long DeviceId, string Username, bool IsAdmin);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PageSession))]
[JsonSerializable(typeof(Admin.AdminDevicePage))]
internal sealed partial class PagesJsonContext : JsonSerializerContext;
