using System.Buffers.Binary;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Django;

/// <summary>
/// Identity's password hasher, which also verifies the Django hashes of users brought over by
/// <c>import-django</c>. A Django hash that matches answers <see cref="PasswordVerificationResult.SuccessRehashNeeded"/>,
/// so the server replaces it with Identity's at that first log-in. A stored value that nothing can match (an
/// unusable Django password, a format not verified here, parameters beyond the bounds, text that is no hash)
/// fails after a check of Identity's own cost, as a wrong password does, and never throws.
/// </summary>
internal sealed class DjangoPasswordHasher(PasswordHasher<ServerUser> identity, IOptions<PasswordHasherOptions> options) : IPasswordHasher<ServerUser>
{
    // Hashed once, so a refusal that has nothing to compute spends what a wrong password does.
    private readonly Lazy<string> _dummyHash = new(() => identity.HashPassword(null!, Guid.NewGuid().ToString()));

    public string HashPassword(ServerUser user, string password) => identity.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(ServerUser user, string hashedPassword, string providedPassword)
    {
        ArgumentNullException.ThrowIfNull(hashedPassword);
        ArgumentNullException.ThrowIfNull(providedPassword);
        if (!DjangoPasswordHashes.IsDjangoHash(hashedPassword))
        {
            return IsComputableIdentityHash(hashedPassword)
                ? identity.VerifyHashedPassword(user, hashedPassword, providedPassword)
                : SpendFailedCheck(user, providedPassword);
        }
        if (!DjangoPasswordHashes.TryVerify(hashedPassword, providedPassword, out var matches))
        {
            return SpendFailedCheck(user, providedPassword);
        }
        return matches ? PasswordVerificationResult.SuccessRehashNeeded : PasswordVerificationResult.Failed;
    }

    private PasswordVerificationResult SpendFailedCheck(ServerUser user, string providedPassword)
    {
        identity.VerifyHashedPassword(user, _dummyHash.Value, providedPassword);
        return PasswordVerificationResult.Failed;
    }

    // Identity's formats (base64): version 2 is a 0x00 byte, a 16-byte salt and a 32-byte key at 1000 iterations;
    // version 3 is a 0x01 byte, then the PRF (SHA-1, SHA-256 or SHA-512), the iteration count and the salt length as big-endian 32-bit
    // numbers, the salt and the key, both at least 16 bytes. Anything else Identity would refuse without
    // computing, or throw on; an iteration count beyond the bounds it would compute however long it takes.
    private bool IsComputableIdentityHash(string hashedPassword)
    {
        var bytes = new byte[hashedPassword.Length];
        if (!Convert.TryFromBase64String(hashedPassword, bytes, out var length) || length == 0)
        {
            return false;
        }
        var hash = bytes.AsSpan(0, length);
        if (hash[0] == 0x00)
        {
            return length == 1 + 16 + 32;
        }
        if (hash[0] != 0x01 || length < 13 + 16 + 16)
        {
            return false;
        }
        var prf = BinaryPrimitives.ReadUInt32BigEndian(hash[1..]);
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(hash[5..]);
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(hash[9..]);
        return prf <= (uint)KeyDerivationPrf.HMACSHA512
            && iterations <= (uint)Math.Max(DjangoPasswordHashes.MaxPbkdf2Iterations, options.Value.IterationCount)
            && saltLength >= 16 && saltLength <= length - 13 - 16;
    }
}
