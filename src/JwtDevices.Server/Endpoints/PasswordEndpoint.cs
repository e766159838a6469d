using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using JwtDevices.Endpoints;
using JwtDevices.RateLimits;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace JwtDevices.Server.Endpoints;

/// <summary>
/// <c>POST /password/</c> with <c>{"old_password","new_password"}</c>: the caller changes their own password.
/// Every other device of theirs is logged out; the one that asked stays signed in.
/// </summary>
internal static class PasswordEndpoint
{
    /// <summary>Two passwords are small; anything larger is refused before it is read.</summary>
    internal const long MaximumBodyBytes = 16 * 1024;

    private static readonly string[] s_required = ["This field is required."];

    public static RouteHandlerBuilder MapPasswordChange(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/password/", ChangeAsync)
            .AddEndpointFilter<StoreOutageFilter>()
            .DisableAntiforgery()
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = JwtDevicesDefaults.AuthenticationScheme })
            .WithName("ChangePassword")
            .WithSummary("Changes the caller's password: every other device of theirs is signed out; this one is kept.")
            .WithDescription("400: a missing field, a wrong old password or a new one the rules reject; 413: a body over 16 KiB; 415: not JSON; 429: too many wrong passwords for the user name (with rate limits on), counted with failed log-ins.")
            .WithTags("Server")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        HttpContext context, UserManager<ServerUser> users, UserCredentialChanges changes)
    {
        var cancellationToken = context.RequestAborted;
        var (request, problem) = await ReadAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var missing = new[] { ("old_password", request!.OldPassword), ("new_password", request.NewPassword) }
            .Where(field => string.IsNullOrEmpty(field.Item2))
            .ToDictionary(field => field.Item1, _ => s_required);
        if (missing.Count > 0)
        {
            return Validation(JwtDevicesErrors.Required, missing, s_required[0]);
        }

        var user = await users.FindByIdAsync(context.User.FindFirstValue(JwtDevicesClaimTypes.UserId)!);
        if (user is null)
        {
            // Deleted since the token was issued: its devices are gone already.
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized,
                detail: "The token is not valid, or its device was logged out.",
                extensions: new Dictionary<string, object?> { ["code"] = JwtDevicesErrors.InvalidToken });
        }
        var deviceClaim = context.User.FindFirstValue(JwtDevicesClaimTypes.DeviceId);
        long? deviceId = long.TryParse(deviceClaim, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

        // The old password is a password guess like a log-in's: the same failure limits guard it.
        var limiters = context.RequestServices.GetService<JwtDevicesRateLimiters>() is { Enabled: true } enabled ? enabled : null;
        var normalizedName = user.NormalizedUserName ?? users.NormalizeName(user.UserName) ?? string.Empty;
        // Signed in with the user's JWT: the caller is a known client, held to its own address's limit only.
        using var guess = limiters?.ReserveGuess(context, normalizedName, signedIn: true);
        if (guess?.Refusal is { } refused)
        {
            return RateLimitFilter.Refuse(context, refused, out _);
        }

        var result = await changes.ChangePasswordAsync(user, request.OldPassword!, request.NewPassword!, deviceId, cancellationToken);
        if (result.Succeeded)
        {
            return TypedResults.NoContent();
        }
        if (result.Errors.Any(error => error.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
        {
            guess?.Failed();
            return Validation(JwtDevicesErrors.InvalidPassword,
                new Dictionary<string, string[]> { ["old_password"] = ["The current password is wrong."] }, "The current password is wrong.");
        }
        var reasons = result.Errors.Select(error => error.Description).ToArray();
        return Validation(JwtDevicesErrors.PasswordRejected,
            new Dictionary<string, string[]> { ["new_password"] = reasons }, string.Join(" ", reasons));
    }

    private static async Task<(PasswordChangeRequest? Request, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaximumBodyBytes)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, JwtDevicesErrors.BodyTooLarge, $"The body may have at most {MaximumBodyBytes} bytes."));
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaximumBodyBytes;
        }
        if (!request.HasJsonContentType() || !JsonContentType.IsUtf8(request.ContentType))
        {
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, JwtDevicesErrors.UnsupportedMediaType, "Send the passwords as application/json."));
        }
        try
        {
            var body = await request.ReadFromJsonAsync(ServerJsonContext.Default.PasswordChangeRequest, cancellationToken);
            return (body ?? new PasswordChangeRequest(null, null), null);
        }
        catch (InvalidOperationException)
        {
            // A charset the reader cannot decode, such as an empty one.
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, JwtDevicesErrors.UnsupportedMediaType, "Send the passwords as application/json."));
        }
        catch (JsonException)
        {
            return (null, Problem(StatusCodes.Status400BadRequest, JwtDevicesErrors.MalformedBody, "The body is not a JSON object with string fields."));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problem(StatusCodes.Status413PayloadTooLarge, JwtDevicesErrors.BodyTooLarge, $"The body may have at most {MaximumBodyBytes} bytes."));
        }
    }

    private static ValidationProblem Validation(string code, Dictionary<string, string[]> errors, string detail) =>
        TypedResults.ValidationProblem(errors, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });

    private static ProblemHttpResult Problem(int status, string code, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code });
}

/// <summary>The body of <c>POST /password/</c>.</summary>
internal sealed record PasswordChangeRequest(string? OldPassword, string? NewPassword);
