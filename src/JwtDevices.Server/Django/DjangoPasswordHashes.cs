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

    // The costliest parameters computed, about twice Django's latest defaults (PBKDF2 1,200,000 iterations;
    // argon2 100 MiB and 2 passes; bcrypt 12): a hash asking for more would let one unauthenticated log-in
    // take seconds of CPU and, for argon2, gigabytes of memory.

    /// <summary>The most PBKDF2 iterations computed.</summary>
    public const int MaxPbkdf2Iterations = 3_000_000;

    /// <summary>The most argon2 memory computed, in KiB (256 MiB).</summary>
    public const int MaxArgon2MemoryKiB = 256 * 1024;

    /// <summary>The most argon2 work computed: memory in KiB times passes (twice Django's 100 MiB and 2 passes).</summary>
    public const int MaxArgon2Work = 2 * 102_400 * 2;

    /// <summary>The most argon2 lanes computed.</summary>
    public const int MaxArgon2Parallelism = 16;

    /// <summary>The highest bcrypt cost computed (2^13 rounds).</summary>
    public const int MaxBcryptCost = 13;

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
    /// Why <paramref name="encoded"/> costs more than the server computes, in words for the import's report;
    /// <see langword="null"/> when its parameters are within the bounds or it is not a format verified here.
    /// </summary>
    public static string? CostProblem(string encoded) =>
        Algorithm(encoded) switch
        {
            "pbkdf2_sha256" or "pbkdf2_sha1" when TryReadPbkdf2Iterations(encoded, out var iterations) && iterations > MaxPbkdf2Iterations =>
                Invariant($"asks for {iterations} PBKDF2 iterations, more than the {MaxPbkdf2Iterations} the server computes"),
            "argon2" when TryParseArgon2(encoded, out var argon2) => Argon2CostProblem(argon2),
            "bcrypt_sha256" or "bcrypt" when TryReadBcryptCost(encoded, out var cost) && cost > MaxBcryptCost =>
                Invariant($"asks for bcrypt cost {cost}, more than the {MaxBcryptCost} the server computes"),
            _ => null,
        };

    /// <summary>
    /// Whether <paramref name="password"/> is the one <paramref name="encoded"/> was made from. False for an
    /// unusable password, a malformed hash, a format not verified here or parameters beyond the bounds
    /// (then nothing is computed); never throws on stored data.
    /// </summary>
    public static bool Verify(string encoded, string password) => TryVerify(encoded, password, out var matches) && matches;

    /// <summary>
    /// Computes <paramref name="encoded"/> for <paramref name="password"/>, when it can be: returns false, and
    /// computes nothing, for an unusable password, a malformed hash, a format not verified here or parameters
    /// beyond the bounds; never throws on stored data.
    /// </summary>
    public static bool TryVerify(string encoded, string password, out bool matches)
    {
        matches = false;
        if (IsUnusable(encoded) || CostProblem(encoded) is not null)
        {
            return false;
        }
        bool? result;
        try
        {
            result = Algorithm(encoded) switch
            {
                "pbkdf2_sha256" => VerifyPbkdf2(encoded, password, HashAlgorithmName.SHA256),
                "pbkdf2_sha1" => VerifyPbkdf2(encoded, password, HashAlgorithmName.SHA1),
                "argon2" => VerifyArgon2(encoded, password),
                "bcrypt_sha256" => BCrypt.Net.BCrypt.Verify(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password))), encoded[14..]),
                "bcrypt" => BCrypt.Net.BCrypt.Verify(password, encoded[7..]),
                _ => null,
            };
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException or BCrypt.Net.SaltParseException)
        {
            result = null;
        }
        matches = result == true;
        return result is not null;
    }

    private static string? Argon2CostProblem(Argon2Parameters argon2) =>
        argon2.MemoryKiB > MaxArgon2MemoryKiB
            ? Invariant($"asks for {argon2.MemoryKiB} KiB of argon2 memory, more than the {MaxArgon2MemoryKiB} the server computes")
            : (long)argon2.MemoryKiB * argon2.Iterations > MaxArgon2Work
                ? Invariant($"asks for argon2 memory {argon2.MemoryKiB} KiB times {argon2.Iterations} passes, more than the {MaxArgon2Work} the server computes")
                : argon2.Parallelism > MaxArgon2Parallelism
                    ? Invariant($"asks for {argon2.Parallelism} argon2 lanes, more than the {MaxArgon2Parallelism} the server computes")
                    : null;

    // pbkdf2_<digest>$<iterations>$<salt>$<base64 of the derived key, as long as the digest>
    private static bool TryReadPbkdf2Iterations(string encoded, out int iterations)
    {
        var parts = encoded.Split('$');
        iterations = 0;
        return parts.Length == 4 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) && iterations >= 1;
    }

    // bcrypt$<hash> and bcrypt_sha256$<hash>, the hash as bcrypt writes it: $2b$<two-digit cost>$<salt and hash>.
    private static bool TryReadBcryptCost(string encoded, out int cost)
    {
        cost = 0;
        var hash = encoded.AsSpan(encoded.IndexOf('$', StringComparison.Ordinal) + 1);
        return hash.Length > 7 && hash[0] == '$' && hash[3] == '$' && hash[6] == '$'
            && int.TryParse(hash.Slice(4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out cost);
    }

    // These answer null when the hash cannot be read, before computing anything.
    private static bool? VerifyPbkdf2(string encoded, string password, HashAlgorithmName digest)
    {
        if (!TryReadPbkdf2Iterations(encoded, out var iterations))
        {
            return null;
        }
        var parts = encoded.Split('$');
        var expected = Convert.FromBase64String(parts[3]);
        var length = digest == HashAlgorithmName.SHA256 ? 32 : 20;
        if (expected.Length != length)
        {
            return null;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(parts[2]), iterations, digest, length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool? VerifyArgon2(string encoded, string password)
    {
        if (!TryParseArgon2(encoded, out var parameters))
        {
            return null;
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

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static byte[] FromUnpaddedBase64(string text) =>
        Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));
}
