using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>What signing and validating a device's tokens needs, built once and cached.</summary>
/// <param name="DeviceId">The device, or <see langword="null"/> for the master key of plain JWT mode.</param>
/// <param name="SigningCredentials">HS256 with the device's key.</param>
/// <param name="ValidationParameters">Validation with that key only.</param>
internal sealed record DeviceCredentials(
    long? DeviceId,
    SigningCredentials SigningCredentials,
    TokenValidationParameters ValidationParameters);
