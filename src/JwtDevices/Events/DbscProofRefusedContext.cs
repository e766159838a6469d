using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.DbscProofRefused"/>: a DBSC registration or refresh of the server's
/// pages was refused for its proof. Many of them for one device suggest that its session cookie was copied away
/// from its key.
/// </summary>
public sealed class DbscProofRefusedContext : JwtDevicesEventContext
{
    internal DbscProofRefusedContext(IServiceProvider services, JwtDevicesOptions options, HttpContext? httpContext, string use, string reason, long? deviceId)
        : base(services, options, httpContext)
    {
        Use = use;
        Reason = reason;
        DeviceId = deviceId;
    }

    /// <summary>Where: <c>registration</c> or <c>refresh</c>.</summary>
    public string Use { get; }

    /// <summary>
    /// A fixed code saying what was wrong: <c>missing</c>, <c>malformed</c>, <c>wrong_type</c>, <c>algorithm</c>,
    /// <c>key</c>, <c>private_key</c>, <c>signature</c>, <c>challenge</c>, <c>replayed</c>, <c>other_device</c> or
    /// <c>already_bound</c>.
    /// </summary>
    public string Reason { get; }

    /// <summary>The device concerned, when known.</summary>
    public long? DeviceId { get; }
}
