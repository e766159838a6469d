using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using JwtDevices;
using JwtDevices.Devices;
using JwtDevices.Diagnostics;
using JwtDevices.Dpop;
using JwtDevices.Endpoints;
using JwtDevices.Events;
using JwtDevices.RateLimits;
using JwtDevices.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Routing;

/// <summary>Maps the JwtDevices endpoints.</summary>
public static class JwtDevicesEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the five endpoints of drf-jwt-devices under <paramref name="prefix"/>:
    /// <c>POST auth-token/</c>, <c>POST device-refresh-token/</c>, <c>DELETE device-logout/</c>,
    /// <c>GET devices/</c> and <c>DELETE devices/{id}/</c>. Trailing slashes are optional.
    /// </summary>
    /// <param name="endpoints">The application's route builder.</param>
    /// <param name="prefix">The path prefix, for example <c>/api</c>; the root by default.</param>
    /// <remarks>
    /// Beyond the seed, it also maps <c>POST device-logout-all/</c>, <c>POST device-logout-others/</c>,
    /// <c>GET devices/current/</c> and <c>PATCH devices/{id}/</c>.
    /// </remarks>
    /// <returns>The route group, to add conventions to all its endpoints.</returns>
    public static RouteGroupBuilder MapJwtDevices(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix).WithTags("JwtDevices");
        group.AddEndpointFilter<StoreOutageFilter>();
        group.AddEndpointFilter(GiveEventsTheRequest);
        // The scheme whose settings the endpoints use: the first JwtDevices scheme added.
        var scheme = endpoints.ServiceProvider.GetService<JwtDevicesSharedOptions.Scheme>()?.Name ?? JwtDevicesDefaults.AuthenticationScheme;
        var authenticated = new AuthorizationPolicyBuilder(scheme)
            .RequireAuthenticatedUser()
            .Build();

        group.MapPost("/auth-token/", LoginAsync)
            .DescribeLogin()
            .AddEndpointFilter(NoStoreFilter.InvokeAsync)
            .AddEndpointFilter(RateLimitFilter.LoginsAsync)
            .DisableAntiforgery()
            .AllowAnonymous();
        group.MapPost("/device-refresh-token/", RefreshAsync)
            .DescribeRefresh()
            .AddEndpointFilter(NoStoreFilter.InvokeAsync)
            .AddEndpointFilter(RateLimitFilter.RefreshesAsync)
            .WithMetadata(PermanentTokenEndpointMetadata.Instance)
            .AllowAnonymous();
        // The seed let a permanent token through to routing on the refresh path whatever the method: 405, not 400.
        group.MapMethods("/device-refresh-token/", s_notPost, MethodNotAllowed)
            .WithMetadata(PermanentTokenEndpointMetadata.Instance)
            .ExcludeFromDescription()
            .AllowAnonymous();
        group.MapDelete("/device-logout/", LogoutAsync)
            .DescribeLogout()
            .RequireAuthorization(authenticated);
        group.MapGet("/devices/", ListDevicesAsync)
            .DescribeListDevices()
            .RequireAuthorization(authenticated);
        group.MapDelete("/devices/{id}/", DeleteDeviceAsync)
            .DescribeDeleteDevice()
            .RequireAuthorization(authenticated);
        DeviceManagementEndpoints.Map(group, authenticated);
        return group;
    }

    private static async Task<Results<JsonHttpResult<LoginResponse>, ValidationProblem, ProblemHttpResult>> LoginAsync(
        HttpContext context, IUserCredentialValidator users, DeviceService devices, JwtDevicesMetrics metrics, DpopProofs dpop, DeviceEventRaiser events)
    {
        using var activity = JwtDevicesDiagnostics.ActivitySource.StartActivity(JwtDevicesDiagnostics.LoginActivity);
        var cancellationToken = context.RequestAborted;
        var (request, problem) = await LoginForm.ReadAsync(context.Request, cancellationToken);
        switch (problem)
        {
            case ValidationProblem validation: return validation;
            case ProblemHttpResult other: return other;
        }
        var (username, password) = (request!.Username, request.Password);
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password))
        {
            return JwtDevicesProblems.RequiredFields(
                new[] { ("username", username), ("password", password) }
                    .Where(field => string.IsNullOrEmpty(field.Item2))
                    .Select(field => field.Item1));
        }
        string? keyThumbprint = null;
        if (dpop.Mode != DpopMode.Disabled)
        {
            (keyThumbprint, var refused) = await DpopTokenEndpoints.CheckAsync(context, dpop, events, DpopUses.Login);
            if (refused is not null)
            {
                return refused;
            }
            if (keyThumbprint is null && dpop.Mode == DpopMode.Required)
            {
                return await DpopTokenEndpoints.RefuseAsync(context, dpop, events, DpopUses.Login, DpopFailure.Missing, null);
            }
        }

        var (user, limited) = await GuardedCredentials.ValidateAsync(context, users, username, password);
        if (limited is not null)
        {
            return limited;
        }
        if (user is null)
        {
            activity?.SetTag(JwtDevicesDiagnostics.ResultTag, JwtDevicesMetrics.InvalidCredentials);
            metrics.LoggedIn(JwtDevicesMetrics.InvalidCredentials);
            return JwtDevicesProblems.InvalidCredentials();
        }

        activity?.SetTag(JwtDevicesDiagnostics.UserIdTag, user.Id);
        // The application may require a key of this user (its administrators, say) though the mode does not.
        if (dpop.Mode != DpopMode.Disabled && await events.DpopLogInAsync(user, keyThumbprint, dpop.Mode == DpopMode.Required) && keyThumbprint is null)
        {
            activity?.SetTag(JwtDevicesDiagnostics.ResultTag, JwtDevicesMetrics.Refused);
            metrics.LoggedIn(JwtDevicesMetrics.Refused);
            return await DpopTokenEndpoints.RefuseAsync(context, dpop, events, DpopUses.Login, DpopFailure.Missing, null);
        }
        var (name, details) = DeviceNames.FromRequest(context.Request);
        var login = await devices.LoginAsync(user, name, details, keyThumbprint, cancellationToken);
        if (login.UserInactive)
        {
            // As a log-in a moment later would be answered.
            activity?.SetTag(JwtDevicesDiagnostics.ResultTag, JwtDevicesMetrics.InvalidCredentials);
            metrics.LoggedIn(JwtDevicesMetrics.InvalidCredentials);
            return JwtDevicesProblems.InvalidCredentials();
        }
        if (login.Token is null)
        {
            activity?.SetTag(JwtDevicesDiagnostics.ResultTag, JwtDevicesMetrics.Refused);
            metrics.LoggedIn(JwtDevicesMetrics.Refused);
            return JwtDevicesProblems.DeviceLimitReached();
        }
        activity?.SetTag(JwtDevicesDiagnostics.ResultTag, JwtDevicesMetrics.Success);
        metrics.LoggedIn(JwtDevicesMetrics.Success);
        return TypedResults.Json(new LoginResponse(login.Token, login.PermanentToken, login.DeviceId, login.Bound ? DpopTokenEndpoints.TokenType : null),
            JwtDevicesJsonContext.Default.LoginResponse);
    }

    private static async Task<Results<JsonHttpResult<TokenResponse>, ValidationProblem>> RefreshAsync(
        HttpContext context, DeviceService devices, JwtDevicesMetrics metrics, TimeProvider time, DpopProofs dpop, DeviceEventRaiser events,
        [FromHeader(Name = JwtDevicesDefaults.PermanentTokenHeader), Description("The device's permanent token, from log-in.")] string? permanentToken)
    {
        if (string.IsNullOrEmpty(permanentToken))
        {
            return JwtDevicesProblems.RequiredHeader(JwtDevicesDefaults.PermanentTokenHeader);
        }

        // Checked whatever the mode: a device bound while DPoP was on keeps needing its key.
        var (keyThumbprint, refused) = await DpopTokenEndpoints.CheckAsync(context, dpop, events, DpopUses.Refresh);
        if (refused is not null)
        {
            return refused;
        }

        using var activity = JwtDevicesDiagnostics.ActivitySource.StartActivity(JwtDevicesDiagnostics.RefreshActivity);
        var started = time.GetTimestamp();
        var result = await devices.RefreshAsync(permanentToken, keyThumbprint, context.RequestAborted);
        var outcome = result.Failure switch
        {
            RefreshFailure.None => JwtDevicesMetrics.Success,
            RefreshFailure.ExpiredToken => JwtDevicesMetrics.ExpiredToken,
            RefreshFailure.InactiveUser => JwtDevicesMetrics.InactiveUser,
            RefreshFailure.ReusedToken => JwtDevicesMetrics.ReusedToken,
            RefreshFailure.CredentialsChanged => JwtDevicesMetrics.CredentialsChanged,
            RefreshFailure.DpopProofRequired => JwtDevicesMetrics.InvalidDpopProof,
            _ => JwtDevicesMetrics.UnknownToken,
        };
        metrics.Refreshed(outcome, time.GetElapsedTime(started));
        activity?.SetTag(JwtDevicesDiagnostics.ResultTag, outcome);
        if (result.Failure == RefreshFailure.DpopProofRequired)
        {
            return await DpopTokenEndpoints.RefuseAsync(context, dpop, events, DpopUses.Refresh,
                keyThumbprint is null ? DpopFailure.Missing : DpopFailure.KeyMismatch, result.DeviceId);
        }
        return result.Failure switch
        {
            RefreshFailure.None => TypedResults.Json(new TokenResponse(result.Token!, result.PermanentToken, result.Bound ? DpopTokenEndpoints.TokenType : null),
                JwtDevicesJsonContext.Default.TokenResponse),
            RefreshFailure.ReusedToken => JwtDevicesProblems.PermanentTokenReused(),
            RefreshFailure.ExpiredToken => JwtDevicesProblems.ExpiredPermanentToken(),
            RefreshFailure.InactiveUser => JwtDevicesProblems.InactiveUser(),
            RefreshFailure.CredentialsChanged => JwtDevicesProblems.CredentialsChanged(),
            _ => JwtDevicesProblems.InvalidPermanentToken(),
        };
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> LogoutAsync(
        HttpContext context, DeviceService devices, [FromHeader(Name = JwtDevicesDefaults.DeviceIdHeader), Description("The id of the device to log out, from log-in; one of the caller's.")] string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return JwtDevicesProblems.RequiredHeader(JwtDevicesDefaults.DeviceIdHeader);
        }
        if (!TryParseDeviceId(header.Trim(), out var deviceId))
        {
            return JwtDevicesProblems.InvalidDeviceId();
        }
        var deleted = await devices.DeleteAsync(deviceId, UserId(context.User), DeviceRevocationReason.LoggedOut, context.RequestAborted);
        return deleted ? TypedResults.NoContent() : JwtDevicesProblems.DeviceNotFound();
    }

    private static async Task<JsonHttpResult<DeviceResponse[]>> ListDevicesAsync(HttpContext context, DeviceService devices)
    {
        var list = await devices.ListAsync(UserId(context.User), context.RequestAborted);
        var response = list
            .Select(DeviceResponse.From)
            .ToArray();
        return TypedResults.Json(response, JwtDevicesJsonContext.Default.DeviceResponseArray);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteDeviceAsync(
        HttpContext context, DeviceService devices, string id)
    {
        // Any id that is not one of the caller's devices is "not found", as the seed's router answered.
        if (!TryParseDeviceId(id, out var deviceId))
        {
            return JwtDevicesProblems.DeviceNotFound();
        }
        var deleted = await devices.DeleteAsync(deviceId, UserId(context.User), DeviceRevocationReason.Deleted, context.RequestAborted);
        return deleted ? TypedResults.NoContent() : JwtDevicesProblems.DeviceNotFound();
    }

    // Device events raised while serving a request carry it.
    private static ValueTask<object?> GiveEventsTheRequest(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.RequestServices.GetRequiredService<DeviceEventRaiser>().HttpContext = context.HttpContext;
        return next(context);
    }

    private static readonly string[] s_notPost = [HttpMethods.Get, HttpMethods.Head, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];

    private static ProblemHttpResult MethodNotAllowed(HttpContext context)
    {
        context.Response.Headers.Allow = HttpMethods.Post;
        return JwtDevicesProblems.MethodNotAllowed(context.Request.Method);
    }

    internal static bool TryParseDeviceId(string value, out long deviceId) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out deviceId);

    // The handler only lets through tokens that carry user_id.
    internal static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(JwtDevicesClaimTypes.UserId)
        ?? throw new InvalidOperationException("The authenticated principal has no user_id claim.");
}
