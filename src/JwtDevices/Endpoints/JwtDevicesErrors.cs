namespace JwtDevices.Endpoints;

/// <summary>
/// The error codes JwtDevices writes in the <c>code</c> member of its problem details.
/// They are part of the public contract: clients may switch on them.
/// </summary>
public static class JwtDevicesErrors
{
    /// <summary>A required field or header is missing or empty.</summary>
    public const string Required = "required";

    /// <summary>The request body is not valid JSON of the expected shape.</summary>
    public const string MalformedBody = "malformed_body";

    /// <summary>The request body is neither JSON nor form data.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>The request body is larger than the endpoint accepts.</summary>
    public const string BodyTooLarge = "body_too_large";

    /// <summary>The user name and password do not match an active user.</summary>
    public const string InvalidCredentials = "invalid_credentials";

    /// <summary>The permanent token is unknown.</summary>
    public const string InvalidPermanentToken = "invalid_permanent_token";

    /// <summary>The permanent token expired after inactivity; its device was deleted.</summary>
    public const string ExpiredPermanentToken = "expired_permanent_token";

    /// <summary>The device's user no longer exists or may not sign in.</summary>
    public const string InactiveUser = "inactive_user";

    /// <summary>The user's credentials changed since the device logged in; the device was logged out.</summary>
    public const string CredentialsChanged = "credentials_changed";

    /// <summary>
    /// Too many requests: too many failed log-ins for the user name, or too many log-ins or refreshes from
    /// the client's address. The request may be retried after <c>Retry-After</c> seconds.
    /// </summary>
    public const string TooManyRequests = "too_many_requests";

    /// <summary>The current password given to change it is wrong.</summary>
    public const string InvalidPassword = "invalid_password";

    /// <summary>The new password does not meet the password rules.</summary>
    public const string PasswordRejected = "password_rejected";

    /// <summary>The <c>Device-Id</c> header is not an integer.</summary>
    public const string InvalidDeviceId = "invalid_device_id";

    /// <summary>No device with that id belongs to the caller.</summary>
    public const string DeviceNotFound = "device_not_found";

    /// <summary>A new device name is empty, longer than 255 characters, or holds control characters.</summary>
    public const string InvalidDeviceName = "invalid_device_name";

    /// <summary>A cookie-authenticated request of the server's page came from another site, or without the page's header.</summary>
    public const string CrossSiteRequest = "cross_site_request";

    /// <summary>The caller is signed in but is not an administrator.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>A query parameter is not valid.</summary>
    public const string InvalidQuery = "invalid_query";

    /// <summary>A <c>Permanent-Token</c> header was sent to an endpoint other than the refresh endpoint.</summary>
    public const string PermanentTokenNotPermitted = "permanent_token_not_permitted";

    /// <summary>The endpoint does not take this method (the refresh endpoint takes only POST).</summary>
    public const string MethodNotAllowed = "method_not_allowed";

    /// <summary>The database cannot be reached; the request may be retried after <c>Retry-After</c> seconds.</summary>
    public const string ServiceUnavailable = "service_unavailable";

    /// <summary>No valid access token was sent.</summary>
    public const string InvalidToken = "invalid_token";

    /// <summary>
    /// With rotation on, a permanent token that a refresh had replaced was presented after the reuse interval
    /// (or an older one at any time): taken for a stolen copy, the device was revoked.
    /// </summary>
    public const string PermanentTokenReused = "permanent_token_reused";

    /// <summary>The user has as many devices as the limit allows, and the limit's strategy is to refuse new ones.</summary>
    public const string DeviceLimitReached = "device_limit_reached";

    /// <summary>
    /// A DPoP proof (RFC 9449) is missing, malformed, badly signed, stale, replayed, made for another request, or
    /// signed by another key than the one the device is bound to. Also in the body's <c>error</c> member, as OAuth writes it.
    /// </summary>
    public const string InvalidDpopProof = "invalid_dpop_proof";

    /// <summary>
    /// The browser's <c>Secure-Session-Response</c> at the pages' DBSC registration is missing or malformed, not a
    /// <c>dbsc+jwt</c> signed ES256 or RS256 by a public key, or not over a fresh challenge of this server.
    /// </summary>
    public const string InvalidDbscProof = "invalid_dbsc_proof";

    /// <summary>The DPoP proof must carry the server's nonce: retry with the value of the <c>DPoP-Nonce</c> response header.</summary>
    public const string UseDpopNonce = "use_dpop_nonce";
}
