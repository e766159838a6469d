using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.DbscRegistered"/>: a browser registered its key for a Device Bound
/// Session Credentials session of the server's pages, and the device is bound to it from now on.
/// </summary>
public sealed class DbscRegisteredContext : JwtDevicesEventContext
{
    internal DbscRegisteredContext(IServiceProvider services, JwtDevicesOptions options, HttpContext? httpContext, long deviceId, string keyThumbprint)
        : base(services, options, httpContext)
    {
        DeviceId = deviceId;
        KeyThumbprint = keyThumbprint;
    }

    /// <summary>The device.</summary>
    public long DeviceId { get; }

    /// <summary>The JWK SHA-256 thumbprint (RFC 7638) of the browser's public key.</summary>
    public string KeyThumbprint { get; }
}
