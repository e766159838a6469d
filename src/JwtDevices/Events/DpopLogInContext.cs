using JwtDevices.Users;
using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.DpopLogIn"/>: a user's credentials are good and the device is
/// about to be made. Set <see cref="RequireDpop"/> to refuse a log-in without a DPoP proof for this user
/// (administrators only, say).
/// </summary>
public sealed class DpopLogInContext : JwtDevicesEventContext
{
    internal DpopLogInContext(IServiceProvider services, JwtDevicesOptions options, HttpContext? httpContext, JwtDevicesUser user, string? keyThumbprint, bool requireDpop)
        : base(services, options, httpContext)
    {
        User = user;
        KeyThumbprint = keyThumbprint;
        RequireDpop = requireDpop;
    }

    /// <summary>The user logging in.</summary>
    public JwtDevicesUser User { get; }

    /// <summary>The RFC 7638 thumbprint of the proof's key, the device will be bound to; <see langword="null"/> without a proof.</summary>
    public string? KeyThumbprint { get; }

    /// <summary>
    /// Whether a log-in without a proof is refused (400 <c>invalid_dpop_proof</c>); starts as
    /// <see cref="JwtDevicesDpopOptions.Mode"/> is <see cref="DpopMode.Required"/>.
    /// </summary>
    public bool RequireDpop { get; set; }
}
