using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace JwtDevices.Server.Django;

/// <summary>
/// Django's password hashes (<c>algorithm$...</c>, as <c>django.contrib.auth.hashers</c> writes them), checked
/// without Django: <c>pbkdf2_sha256</c>, <c>pbkdf2_sha1</c>, <c>argon2</c> (version 19) and <c>bcrypt_sha256</c>,
/// <c>bcrypt</c>. The others are known but not verified, so their users must reset their passwords.
/// </summary>
internal static class DjangoPasswordHashes
{
    /// <summary>The formats this class verifies, by Django's algorithm name.</summary>
    public static readonly IReadOnlyList<string> Verified = ["pbkdf2_sha256", "pbkdf2_sha1", "argon2", "bcrypt_sha256", "bcrypt"];

    /// <summary>
    /// Whether <paramref name="encoded"/> is Django's rather than Identity's: Django's hashes hold a <c>$</c>
    /// and its unusable passwords start with <c>!</c>; Identity's are plain base64, which has neither.
    /// </summary>
    public static bool IsDjangoHash(string encoded) =>
        encoded.StartsWith('!') || encoded.Contains('$', StringComparison.Ordinal);

    /// <summary>Whether Django marked the password unusable (<c>set_unusable_password</c>): nothing matches it.</summary>
    public static bool IsUnusable(string? encoded) => string.IsNullOrEmpty(encoded) || encoded.StartsWith('!');

    /// <summary>Django's name for the algorithm of <paramref name="encoded"/>: the text before the first <c>$</c>.</summary>
    public static string Algorithm(string encoded) =>
        encoded.IndexOf('$', StringComparison.Ordinal) is var dollar and >= 0 ? encoded[..dollar] : "unsalted_md5";

    /// <summary>Whether the password of <paramref name="encoded"/> can be verified here.</summary>
    public static bool IsVerifiable(string encoded) =>
        Algorithm(encoded) switch
        {
            "pbkdf2_sha256" or "pbkdf2_sha1" or "bcrypt_sha256" or "bcrypt" => true,
            "argon2" => TryParseArgon2(encoded, out _),
            _ => false,
        };

    /// <summary>
    /// Whether <paramref name="password"/> is the one <paramref name="encoded"/> was made from. False for an
    /// unusable password, a malformed hash or a format not verified here; never throws on stored data.
    /// </summary>
    public static bool Verify(string encoded, string password)
    {
        if (IsUnusable(encoded))
        {
            return false;
        }
        try
        {
            return Algorithm(encoded) switch
            {
                "pbkdf2_sha256" => VerifyPbkdf2(encoded, password, HashAlgorithmName.SHA256),
                "pbkdf2_sha1" => VerifyPbkdf2(encoded, password, HashAlgorithmName.SHA1),
                "argon2" => VerifyArgon2(encoded, password),
                "bcrypt_sha256" => BCrypt.Net.BCrypt.Verify(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password))), encoded[14..]),
                "bcrypt" => BCrypt.Net.BCrypt.Verify(password, encoded[7..]),
                _ => false,
            };
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException or BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    // pbkdf2_<digest>$<iterations>$<salt>$<base64 of the derived key, as long as the digest>
    private static bool VerifyPbkdf2(string encoded, string password, HashAlgorithmName digest)
    {
        var parts = encoded.Split('$');
        if (parts.Length != 4 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }
        var expected = Convert.FromBase64String(parts[3]);
        var length = digest == HashAlgorithmName.SHA256 ? 32 : 20;
        if (expected.Length != length)
        {
            return false;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(parts[2]), iterations, digest, length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool VerifyArgon2(string encoded, string password)
    {
        if (!TryParseArgon2(encoded, out var parameters))
        {
            return false;
        }
        using Argon2 argon2 = parameters.Variant switch
        {
            "argon2id" => new Argon2id(Encoding.UTF8.GetBytes(password)),
            "argon2i" => new Argon2i(Encoding.UTF8.GetBytes(password)),
            _ => new Argon2d(Encoding.UTF8.GetBytes(password)),
        };
        argon2.Salt = parameters.Salt;
        argon2.MemorySize = parameters.MemoryKiB;
        argon2.Iterations = parameters.Iterations;
        argon2.DegreeOfParallelism = parameters.Parallelism;
        return CryptographicOperations.FixedTimeEquals(argon2.GetBytes(parameters.Hash.Length), parameters.Hash);
    }

    private readonly record struct Argon2Parameters(string Variant, int MemoryKiB, int Iterations, int Parallelism, byte[] Salt, byte[] Hash);

    // argon2$<variant>$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>, salt and hash in base64 without padding.
    // Hashes of argon2 version 16 (written without "v=") are not verified: the library implements version 19 only.
    private static bool TryParseArgon2(string encoded, out Argon2Parameters parameters)
    {
        parameters = default;
        var parts = encoded.Split('$');
        if (parts.Length != 6 || parts[1] is not ("argon2id" or "argon2i" or "argon2d") || parts[2] != "v=19")
        {
            return false;
        }
        var settings = parts[3].Split(',');
        if (settings.Length != 3
            || !TryReadSetting(settings[0], "m=", out var memory)
            || !TryReadSetting(settings[1], "t=", out var iterations)
            || !TryReadSetting(settings[2], "p=", out var parallelism)
            || memory < 8 * parallelism)
        {
            return false;
        }
        try
        {
            parameters = new Argon2Parameters(parts[1], memory, iterations, parallelism, FromUnpaddedBase64(parts[4]), FromUnpaddedBase64(parts[5]));
        }
        catch (FormatException)
        {
            return false;
        }
        return parameters.Hash.Length >= 4;
    }

    private static bool TryReadSetting(string setting, string name, out int value)
    {
        value = 0;
        return setting.StartsWith(name, StringComparison.Ordinal)
            && int.TryParse(setting.AsSpan(name.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value)
            && value > 0;
    }

    private static byte[] FromUnpaddedBase64(string text) =>
        Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
