using JwtDevices.Dpop;

namespace Microsoft.AspNetCore.Http;

/// <summary>What a DPoP-bound request tells the application.</summary>
public static class JwtDevicesDpopHttpContextExtensions
{
    /// <summary>
    /// The RFC 7638 thumbprint of the key the device is bound to, when the request was authenticated with a bound
    /// token and a valid proof; <see langword="null"/> for an unbound device's request. The principal carries it too,
    /// as the claim <see cref="JwtDevices.JwtDevicesClaimTypes.KeyThumbprint"/>.
    /// </summary>
    /// <param name="context">The request.</param>
    public static string? GetDpopKeyThumbprint(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<IJwtDevicesDpopFeature>()?.KeyThumbprint;
    }
}
