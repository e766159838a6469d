using System.Security.Cryptography;
using System.Text;

namespace JwtDevices.Users;

/// <summary>Hashes security stamps, so that a device keeps a fingerprint of its user's stamp and never the stamp itself.</summary>
public static class SecurityStamps
{
    /// <summary>The SHA-256 hash of the stamp, or <see langword="null"/> when there is no stamp.</summary>
    /// <param name="stamp">The user's security stamp, as the user store keeps it.</param>
    public static byte[]? Hash(string? stamp) =>
        string.IsNullOrEmpty(stamp) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(stamp));

    /// <summary>Whether the user's stamp is still the one the device remembers.</summary>
    /// <param name="remembered">The hash stored on the device at log-in; <see langword="null"/> for devices that predate stamps.</param>
    /// <param name="current">The hash of the user's stamp now.</param>
    internal static bool StillValid(byte[]? remembered, byte[]? current) =>
        remembered is null || (current is not null && CryptographicOperations.FixedTimeEquals(remembered, current));
}
