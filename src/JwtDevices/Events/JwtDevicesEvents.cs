namespace JwtDevices;

/// <summary>
/// What the JwtDevices scheme and endpoints call at each step, in the style of <c>JwtBearerEvents</c>:
/// set the <c>On*</c> delegates, or derive and override the methods. Each call awaits the application's
/// code, so keep it quick; an exception it throws fails the request.
/// </summary>
public class JwtDevicesEvents
{
    private static readonly Func<MessageReceivedContext, Task> s_messageReceived = _ => Task.CompletedTask;
    private static readonly Func<TokenValidatedContext, Task> s_tokenValidated = _ => Task.CompletedTask;

    /// <summary>
    /// Called first for every request the scheme authenticates. Set <see cref="MessageReceivedContext.Token"/>
    /// to take the token from elsewhere (for example SignalR's <c>access_token</c> query string); when it is
    /// left empty the <c>Authorization</c> header is read.
    /// </summary>
    public Func<MessageReceivedContext, Task> OnMessageReceived { get; set; } = s_messageReceived;

    /// <summary>Called when a token's signature, lifetime and device are good, before the request is authenticated.</summary>
    public Func<TokenValidatedContext, Task> OnTokenValidated { get; set; } = s_tokenValidated;

    /// <summary>
    /// Called when a presented token is refused (malformed, expired, badly signed, or of a logged-out device),
    /// once per request; <see cref="AuthenticationFailedContext.Exception"/> tells which. Not called for a
    /// request without a token, nor when <see cref="OnTokenValidated"/> refuses one.
    /// </summary>
    public Func<AuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called before the 401 answer is written; <see cref="JwtDevicesChallengeContext.HandleResponse"/> writes your own.</summary>
    public Func<JwtDevicesChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called when an authenticated caller is refused by authorization, after the status is set to 403.</summary>
    public Func<ForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called after log-in created a device.</summary>
    public Func<DeviceCreatedContext, Task> OnDeviceCreated { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called after a permanent token was exchanged for a new access token.</summary>
    public Func<TokenRefreshedContext, Task> OnTokenRefreshed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called on the node that ended a device, after the end is stored and announced, with its reason.</summary>
    public Func<DeviceRevokedContext, Task> OnDeviceRevoked { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called when an old, rotated permanent token is presented again: the device is revoked as stolen.</summary>
    public Func<ReuseDetectedContext, Task> OnReuseDetected { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called when a log-in meets the user's device limit, whether it evicted devices or was refused.</summary>
    public Func<DeviceLimitReachedContext, Task> OnDeviceLimitReached { get; set; } = _ => Task.CompletedTask;

    /// <summary>
    /// Called at each log-in once the credentials are good, before the device is made, with the DPoP key it will be
    /// bound to (if any); set <see cref="DpopLogInContext.RequireDpop"/> to require a proof for this user.
    /// </summary>
    public Func<DpopLogInContext, Task> OnDpopLogIn { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called when a log-in, refresh or request is refused for its DPoP proof, once per request.</summary>
    public Func<DpopProofRefusedContext, Task> OnDpopProofRefused { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called when a browser registered its key for a DBSC session of the server's pages.</summary>
    public Func<DbscRegisteredContext, Task> OnDbscRegistered { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called when a browser bound by DBSC proved its key and got a new session cookie of the server's pages.</summary>
    public Func<DbscRefreshedContext, Task> OnDbscRefreshed { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called when a DBSC registration or refresh of the server's pages was refused for its proof, once per request.</summary>
    public Func<DbscProofRefusedContext, Task> OnDbscProofRefused { get; set; } = _ => Task.CompletedTask;

    /// <summary>Invokes <see cref="OnMessageReceived"/>.</summary>
    public virtual Task MessageReceived(MessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invokes <see cref="OnTokenValidated"/>.</summary>
    public virtual Task TokenValidated(TokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    public virtual Task AuthenticationFailed(AuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    public virtual Task Challenge(JwtDevicesChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    public virtual Task Forbidden(ForbiddenContext context) => OnForbidden(context);

    /// <summary>Invokes <see cref="OnDeviceCreated"/>.</summary>
    public virtual Task DeviceCreated(DeviceCreatedContext context) => OnDeviceCreated(context);

    /// <summary>Invokes <see cref="OnTokenRefreshed"/>.</summary>
    public virtual Task TokenRefreshed(TokenRefreshedContext context) => OnTokenRefreshed(context);

    /// <summary>Invokes <see cref="OnDeviceRevoked"/>.</summary>
    public virtual Task DeviceRevoked(DeviceRevokedContext context) => OnDeviceRevoked(context);

    /// <summary>Invokes <see cref="OnReuseDetected"/>.</summary>
    public virtual Task ReuseDetected(ReuseDetectedContext context) => OnReuseDetected(context);

    /// <summary>Invokes <see cref="OnDeviceLimitReached"/>.</summary>
    public virtual Task DeviceLimitReached(DeviceLimitReachedContext context) => OnDeviceLimitReached(context);

    /// <summary>Invokes <see cref="OnDpopLogIn"/>.</summary>
    public virtual Task DpopLogIn(DpopLogInContext context) => OnDpopLogIn(context);

    /// <summary>Invokes <see cref="OnDpopProofRefused"/>.</summary>
    public virtual Task DpopProofRefused(DpopProofRefusedContext context) => OnDpopProofRefused(context);

    /// <summary>Invokes <see cref="OnDbscRegistered"/>.</summary>
    public virtual Task DbscRegistered(DbscRegisteredContext context) => OnDbscRegistered(context);

    /// <summary>Invokes <see cref="OnDbscRefreshed"/>.</summary>
    public virtual Task DbscRefreshed(DbscRefreshedContext context) => OnDbscRefreshed(context);

    /// <summary>Invokes <see cref="OnDbscProofRefused"/>.</summary>
    public virtual Task DbscProofRefused(DbscProofRefusedContext context) => OnDbscProofRefused(context);

    // The two events of every authenticated request: when nobody listens, the handler makes no context for them.
    internal bool ListensToMessageReceived => GetType() != typeof(JwtDevicesEvents) || !ReferenceEquals(OnMessageReceived, s_messageReceived);

    internal bool ListensToTokenValidated => GetType() != typeof(JwtDevicesEvents) || !ReferenceEquals(OnTokenValidated, s_tokenValidated);
}
