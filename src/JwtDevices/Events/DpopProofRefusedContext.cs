using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.DpopProofRefused"/>: a log-in, refresh or request was refused for
/// its DPoP proof (or for presenting a bound token without one). Many of them for one device suggest that its
/// tokens were copied away from its key.
/// </summary>
public sealed class DpopProofRefusedContext : JwtDevicesEventContext
{
    internal DpopProofRefusedContext(IServiceProvider services, JwtDevicesOptions options, HttpContext? httpContext, string use, string error, string reason, long? deviceId)
        : base(services, options, httpContext)
    {
        Use = use;
        Error = error;
        Reason = reason;
        DeviceId = deviceId;
    }

    /// <summary>Where: <c>login</c>, <c>refresh</c> or <c>request</c>.</summary>
    public string Use { get; }

    /// <summary>The error code answered: <c>invalid_dpop_proof</c>, <c>use_dpop_nonce</c> or <c>invalid_token</c>.</summary>
    public string Error { get; }

    /// <summary>A fixed sentence saying what was wrong.</summary>
    public string Reason { get; }

    /// <summary>The device concerned, when known.</summary>
    public long? DeviceId { get; }
}
