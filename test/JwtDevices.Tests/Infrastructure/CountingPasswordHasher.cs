using System.Buffers.Binary;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// Identity's password hasher, counting the checks it computes at its own cost (a version 3 hash at its
/// iteration count (Identity's default unless told), what a wrong password for a native user costs): the server's hasher does
/// Identity's work through it, so a test sees what a log-in spent without timing it. A call that Identity
/// answers without computing, on a hash it cannot read, does not count.
/// </summary>
internal sealed class CountingPasswordHasher(int? iterationCount = null)
    : PasswordHasher<ServerUser>(iterationCount is { } count ? Options.Create(new PasswordHasherOptions { IterationCount = count }) : null)
{
    private readonly int _iterations = iterationCount ?? new PasswordHasherOptions().IterationCount;

    private int _checks;

    public int Checks => Volatile.Read(ref _checks);

    public override PasswordVerificationResult VerifyHashedPassword(ServerUser user, string hashedPassword, string providedPassword)
    {
        var bytes = new byte[hashedPassword.Length];
        if (Convert.TryFromBase64String(hashedPassword, bytes, out var length) && length > 13 && bytes[0] == 0x01
            && BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(5)) == _iterations)
        {
            Interlocked.Increment(ref _checks);
        }
        return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
