using System.Security.Cryptography;
using System.Text.Json.Serialization;
using JwtDevices.Devices;
using JwtDevices.Endpoints;
using JwtDevices.RateLimits;
using JwtDevices.Revocation;
using JwtDevices.Tokens;
using JwtDevices.Users;
using Microsoft.AspNetCore.Http.HttpResults;
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
        HttpContext context, IUserCredentialValidator users, DeviceService devices, IOptions<JwtDevicesOptions> options)
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
        var login = await devices.LoginAsync(user, DeviceNames.Cut(BrowserNames.FromUserAgent(userAgent)), DeviceNames.Cut(userAgent), cancellationToken);
        if (login.UserInactive)
        {
            return JwtDevicesProblems.InvalidCredentials();
        }
        if (login.Token is null)
        {
            return JwtDevicesProblems.DeviceLimitReached();
        }
        PageSessionCookie.Write(context, login.PermanentToken!, options);
        return Session(login.Token, options);
    }

    private static async Task<IResult> RefreshAsync(HttpContext context, DeviceService devices, IOptions<JwtDevicesOptions> options)
    {
        var permanentToken = PageSessionCookie.Read(context.Request);
        if (string.IsNullOrEmpty(permanentToken))
        {
            return JwtDevicesProblems.Unauthorized(JwtDevicesErrors.InvalidToken, "Not signed in.");
        }
        var result = await devices.RefreshAsync(permanentToken, context.RequestAborted);
        if (result.Failure != RefreshFailure.None)
        {
            PageSessionCookie.Delete(context);
            return JwtDevicesProblems.Unauthorized(JwtDevicesErrors.InvalidToken, "Signed out.");
        }
        // Sliding, as the device's own lifetime is; with rotation on, the cookie takes the successor.
        PageSessionCookie.Write(context, result.PermanentToken ?? permanentToken, options);
        return Session(result.Token!, options);
    }

    private static async Task<NoContent> LogoutAsync(HttpContext context, IDeviceStore store, IDeviceRevocationService revocations)
    {
        // A rotating token names its device; a seed-form one is found by its hash.
        var presented = PresentedPermanentToken.TryRead(PageSessionCookie.Read(context.Request) ?? string.Empty);
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

    // The page learns who it is and when to refresh from the answer; it need not parse the JWT.
    private static JsonHttpResult<PageSession> Session(string token, IOptions<JwtDevicesOptions> options)
    {
        var jwt = new JsonWebToken(token);
        jwt.TryGetPayloadValue<string>(JwtDevicesClaimTypes.DeviceId, out var deviceId);
        jwt.TryGetPayloadValue<string>(JwtDevicesClaimTypes.Username, out var username);
        return TypedResults.Json(
            new PageSession(token, (int)options.Value.AccessTokenLifetime.TotalSeconds, long.Parse(deviceId!, System.Globalization.CultureInfo.InvariantCulture), username ?? string.Empty),
            PagesJsonContext.Default.PageSession);
    }
}

/// <summary>What the page's sign-in and refresh answer: a JWT, its lifetime in seconds, and who it is for.</summary>
internal sealed record PageSession(string Token, int ExpiresIn, long DeviceId, string Username);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PageSession))]
[JsonSerializable(typeof(Admin.AdminDevicePage))]
internal sealed partial class PagesJsonContext : JsonSerializerContext;
