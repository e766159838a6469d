using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace JwtDevices.Endpoints;

/// <summary>
/// What OpenAPI should say of each endpoint: its name, and every status code it can
/// answer that its result types do not already declare (a <c>JsonHttpResult</c> declares none; a status
/// written by a filter or a middleware, such as 503 or the 400 for a stray <c>Permanent-Token</c>, none either).
/// Request bodies are not declared here: <c>Accepts</c> metadata would make routing answer a wrong content
/// type with a bare 415 before the endpoint's own problem details.
/// </summary>
internal static class JwtDevicesEndpointDescriptions
{
    private const string Json = "application/json";

    public static RouteHandlerBuilder DescribeLogin(this RouteHandlerBuilder builder) => builder
        .WithName("Login")
        .WithSummary("Logs in: creates a device and answers its first JWT and its permanent token.")
        .WithDescription("The device is named after X-Device-Model, or the User-Agent when no model is sent. In plain JWT mode the answer holds only the token. "
            + "400: a missing field, malformed body, bad credentials or the device limit (with Reject); 413: a body over 16 KiB; 415: neither JSON nor form data; "
            + "429: too many failed log-ins for the user name, or log-ins from the client address (with rate limits on).")
        .Produces<LoginResponse>(StatusCodes.Status200OK, Json)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesDatabaseOutage();

    public static RouteHandlerBuilder DescribeRefresh(this RouteHandlerBuilder builder) => builder
        .WithName("RefreshToken")
        .WithSummary("Answers a new JWT for the device of the permanent token, and keeps the device alive.")
        .WithDescription("With rotation on, the answer also holds the permanent token's successor. "
            + "400: the Permanent-Token header is missing, unknown or expired (an expired device is deleted), reused after rotation (the device is revoked), "
            + "its user's password changed, or its user can no longer sign in; 429: too many refreshes from the client address (with rate limits on).")
        .Produces<TokenResponse>(StatusCodes.Status200OK, Json)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesDatabaseOutage();

    public static RouteHandlerBuilder DescribeLogout(this RouteHandlerBuilder builder) => builder
        .WithName("Logout")
        .WithSummary("Logs the device named by Device-Id out: every JWT it was given is refused from now on.")
        .WithDescription("400: Device-Id is missing or not a number; 404: no such device among the caller's.")
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesAuthenticated();

    public static RouteHandlerBuilder DescribeListDevices(this RouteHandlerBuilder builder) => builder
        .WithName("ListDevices")
        .WithSummary("Lists the caller's devices, by id; times are UTC.")
        .Produces<DeviceResponse[]>(StatusCodes.Status200OK, Json)
        .ProducesValidationProblem()
        .ProducesAuthenticated();

    public static RouteHandlerBuilder DescribeDeleteDevice(this RouteHandlerBuilder builder) => builder
        .WithName("DeleteDevice")
        .WithSummary("Deletes one of the caller's devices: every JWT it was given is refused from now on.")
        .WithDescription("404: no such device among the caller's.")
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesValidationProblem()
        .ProducesAuthenticated();

    public static RouteHandlerBuilder DescribeLogoutAll(this RouteHandlerBuilder builder) => builder
        .WithName("LogoutAll")
        .WithSummary("Logs out every device of the caller, this one included.")
        .ProducesValidationProblem()
        .ProducesAuthenticated();

    public static RouteHandlerBuilder DescribeLogoutOthers(this RouteHandlerBuilder builder) => builder
        .WithName("LogoutOthers")
        .WithSummary("Logs out every device of the caller but the one whose token made the request.")
        .ProducesValidationProblem()
        .ProducesAuthenticated();

    public static RouteHandlerBuilder DescribeCurrentDevice(this RouteHandlerBuilder builder) => builder
        .WithName("CurrentDevice")
        .WithSummary("The device whose token made the request.")
        .WithDescription("404: the token names no device (plain JWT mode).")
        .Produces<DeviceResponse>(StatusCodes.Status200OK, Json)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesValidationProblem()
        .ProducesAuthenticated();

    public static RouteHandlerBuilder DescribeRename(this RouteHandlerBuilder builder) => builder
        .WithName("RenameDevice")
        .WithSummary("Renames one of the caller's devices.")
        .WithDescription("400: a missing, malformed or unusable name; 404: no such device among the caller's; 413: a body over the limit; 415: not JSON.")
        .Produces<DeviceResponse>(StatusCodes.Status200OK, Json)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesAuthenticated();

    // 401 from the authentication handler's challenge; 503 when the store cannot be reached.
    private static RouteHandlerBuilder ProducesAuthenticated(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesDatabaseOutage();

    private static RouteHandlerBuilder ProducesDatabaseOutage(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
