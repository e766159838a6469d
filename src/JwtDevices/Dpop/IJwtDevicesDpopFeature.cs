namespace JwtDevices.Dpop;

/// <summary>
/// Set on a request authenticated with a DPoP-bound token and a valid proof: the device's key. Read it with
/// <c>HttpContext.Features.Get&lt;IJwtDevicesDpopFeature&gt;()</c> or <see cref="Microsoft.AspNetCore.Http.JwtDevicesDpopHttpContextExtensions.GetDpopKeyThumbprint"/>.
/// </summary>
public interface IJwtDevicesDpopFeature
{
    /// <summary>The RFC 7638 SHA-256 thumbprint (base64url) of the key that signed the request's proof: the token's <c>cnf.jkt</c>.</summary>
    string KeyThumbprint { get; }
}

internal sealed record JwtDevicesDpopFeature(string KeyThumbprint) : IJwtDevicesDpopFeature;
