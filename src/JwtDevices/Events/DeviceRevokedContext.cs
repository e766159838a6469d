using JwtDevices.Devices;
using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.DeviceRevoked"/>: a device ended on this node. Other nodes
/// learn of it through the revocation log or bus and do not raise the event again.
/// </summary>
public sealed class DeviceRevokedContext : JwtDevicesEventContext
{
    internal DeviceRevokedContext(IServiceProvider services, JwtDevicesOptions options, HttpContext? httpContext, DeviceRevocation revocation)
        : base(services, options, httpContext)
    {
        DeviceId = revocation.DeviceId;
        Reason = revocation.Reason;
        RevokedAt = revocation.RevokedAt;
    }

    /// <summary>The device that ended.</summary>
    public long DeviceId { get; }

    /// <summary>Why it ended.</summary>
    public DeviceRevocationReason Reason { get; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset RevokedAt { get; }
}
