using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>What signing a device's tokens needs.</summary>
/// <param name="DeviceId">The device, or <see langword="null"/> for the master key of plain JWT mode.</param>
/// <param name="SigningCredentials">HS256 with the device's key, whose key id names the key's salt.</param>
/// <param name="KeyThumbprint">The DPoP key the device is bound to, written as <c>cnf.jkt</c>; none for an unbound device.</param>
internal sealed record DeviceCredentials(long? DeviceId, SigningCredentials SigningCredentials, string? KeyThumbprint = null);
