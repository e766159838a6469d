using JwtDevices.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JwtDevices;

/// <summary>Every error response of JwtDevices, as RFC 9457 problem details with a fixed code.</summary>
internal static class JwtDevicesProblems
{
    private const string FieldRequired = "This field is required.";

    /// <summary>Names every missing field at once, as Django REST framework did.</summary>
    public static ValidationProblem RequiredFields(IEnumerable<string> fields) =>
        TypedResults.ValidationProblem(
            fields.ToDictionary(field => field, _ => new[] { FieldRequired }),
            detail: FieldRequired,
            extensions: new Dictionary<string, object?> { ["code"] = JwtDevicesErrors.Required });

    public static ValidationProblem RequiredHeader(string header) =>
        Validation(JwtDevicesErrors.Required, header, "This header is required.");

    public static ValidationProblem MalformedBody() =>
        Validation(JwtDevicesErrors.MalformedBody, "body", "The body is not a JSON object with string fields.");

    public static ValidationProblem InvalidCredentials() =>
        Validation(JwtDevicesErrors.InvalidCredentials, "non_field_errors", "Unable to log in with provided credentials.");

    public static ValidationProblem InvalidPermanentToken() =>
        Validation(JwtDevicesErrors.InvalidPermanentToken, JwtDevicesDefaults.PermanentTokenHeader, "Invalid permanent token.");

    public static ValidationProblem ExpiredPermanentToken() =>
        Validation(JwtDevicesErrors.ExpiredPermanentToken, JwtDevicesDefaults.PermanentTokenHeader, "Permanent token has expired; the device was logged out.");

    public static ValidationProblem PermanentTokenReused() =>
        Validation(JwtDevicesErrors.PermanentTokenReused, JwtDevicesDefaults.PermanentTokenHeader,
            "This permanent token was already replaced; the device was logged out. Log in again.");

    public static ValidationProblem DeviceLimitReached() =>
        Validation(JwtDevicesErrors.DeviceLimitReached, "non_field_errors",
            "You are signed in on as many devices as allowed. Log out of one to sign in here.");

    public static ValidationProblem InactiveUser() =>
        Validation(JwtDevicesErrors.InactiveUser, JwtDevicesDefaults.PermanentTokenHeader, "The user of this device can no longer sign in.");

    public static ValidationProblem CredentialsChanged() =>
        Validation(JwtDevicesErrors.CredentialsChanged, JwtDevicesDefaults.PermanentTokenHeader,
            "The password of this device's user changed since it logged in; the device was logged out.");

    /// <summary>
    /// 400 for a refused DPoP proof at a token endpoint: the problem's <c>code</c> is also in <c>error</c> and its text in
    /// <c>error_description</c>, the members OAuth clients read (RFC 9449 §5, RFC 6749 §5.2).
    /// </summary>
    public static ValidationProblem DpopProofRefused(string error, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [Dpop.DpopProofs.Header] = [message] },
            detail: message,
            extensions: new Dictionary<string, object?> { ["code"] = error, ["error"] = error, ["error_description"] = message });

    /// <summary>400 for a refused DBSC registration proof; <paramref name="reason"/> is one of the fixed failure reasons.</summary>
    public static ValidationProblem DbscProofRefused(string reason) =>
        Validation(JwtDevicesErrors.InvalidDbscProof, "Secure-Session-Response", $"The DBSC proof was refused ({reason}).");

    /// <summary>429; the caller sets <c>Retry-After</c> to the same number of seconds.</summary>
    public static ProblemHttpResult TooManyRequests(int retryAfterSeconds) =>
        Problem(StatusCodes.Status429TooManyRequests, JwtDevicesErrors.TooManyRequests,
            $"Too many attempts; try again in {retryAfterSeconds} seconds.");

    public static ValidationProblem InvalidDeviceId() =>
        Validation(JwtDevicesErrors.InvalidDeviceId, JwtDevicesDefaults.DeviceIdHeader, "A valid integer is required.");

    public static ValidationProblem InvalidDeviceName() =>
        Validation(JwtDevicesErrors.InvalidDeviceName, "name",
            $"A device name is 1 to {DeviceNames.MaximumLength} characters, not all spaces, with no control characters.");

    public static ProblemHttpResult CrossSiteRequest() =>
        Problem(StatusCodes.Status403Forbidden, JwtDevicesErrors.CrossSiteRequest,
            "The page's requests must come from the page itself, with its X-JwtDevices-Page header.");

    public static ProblemHttpResult Forbidden() =>
        Problem(StatusCodes.Status403Forbidden, JwtDevicesErrors.Forbidden, "Only administrators may do this.");

    public static ValidationProblem InvalidQuery(string parameter, string message) =>
        Validation(JwtDevicesErrors.InvalidQuery, parameter, message);

    public static ValidationProblem PermanentTokenNotPermitted() =>
        Validation(JwtDevicesErrors.PermanentTokenNotPermitted, JwtDevicesDefaults.PermanentTokenHeader,
            "The permanent token may only be sent to the token refresh endpoint.");

    public static ProblemHttpResult UnsupportedMediaType() =>
        Problem(StatusCodes.Status415UnsupportedMediaType, JwtDevicesErrors.UnsupportedMediaType,
            "Send the credentials as UTF-8 application/json or as form data.");

    public static ProblemHttpResult BodyTooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, JwtDevicesErrors.BodyTooLarge, $"The body may have at most {limit} bytes.");

    public static ProblemHttpResult DeviceNotFound() =>
        Problem(StatusCodes.Status404NotFound, JwtDevicesErrors.DeviceNotFound, "No such device among yours.");

    public static ProblemHttpResult MethodNotAllowed(string method) =>
        Problem(StatusCodes.Status405MethodNotAllowed, JwtDevicesErrors.MethodNotAllowed, $"Method \"{Cut(method)}\" not allowed.");

    public static ProblemHttpResult ServiceUnavailable() =>
        Problem(StatusCodes.Status503ServiceUnavailable, JwtDevicesErrors.ServiceUnavailable,
            "The service cannot reach its database right now; try again shortly.");

    /// <summary>
    /// 401 with the challenge's error code, or with no code when the request presented no token (RFC 6750 3.1),
    /// so that the body says what <c>WWW-Authenticate</c> says.
    /// </summary>
    public static ProblemHttpResult Unauthorized(string? code, string? reason) =>
        TypedResults.Problem(detail: reason ?? "Authentication credentials were not provided.", statusCode: StatusCodes.Status401Unauthorized,
            extensions: code is null ? null : new Dictionary<string, object?> { ["code"] = code });

    private static ValidationProblem Validation(string code, string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: message,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    // The method is the client's text: keep it short in the answer.
    private static string Cut(string text) => text.Length <= 16 ? text : text[..16];

    private static ProblemHttpResult Problem(int status, string code, string detail)
    {
        var (type, title) = MissingDefaults(status);
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type,
            extensions: new Dictionary<string, object?> { ["code"] = code });
    }

    // ASP.NET Core fills `type` and `title` from a table of its own, which lacks these two statuses.
    private static (string? Type, string? Title) MissingDefaults(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => ("https://tools.ietf.org/html/rfc9110#section-15.5.14", "Content Too Large"),
        StatusCodes.Status429TooManyRequests => ("https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests"),
        _ => (null, null),
    };
}
