using System.Globalization;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>What signing and validating a device's tokens needs, built once and cached.</summary>
/// <param name="DeviceId">The device, or <see langword="null"/> for the master key of plain JWT mode.</param>
/// <param name="UserId">The device's owner; a token signed with its key must name this user.</param>
/// <param name="SigningCredentials">HS256 with the device's key.</param>
/// <param name="ValidationParameters">Validation with that key only.</param>
internal sealed record DeviceCredentials(
    long? DeviceId,
    string? UserId,
    SigningCredentials SigningCredentials,
    TokenValidationParameters ValidationParameters)
{
    /// <summary>The owner's id as a number, as tokens carry integer ids, to compare without allocating.</summary>
    public long? NumericUserId { get; } =
        long.TryParse(UserId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
