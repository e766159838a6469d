using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Identity;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// Identity's password hasher, counting the checks it computes: the server's hasher does Identity's work
/// through it, so a test sees what a log-in spent without timing it.
/// </summary>
internal sealed class CountingPasswordHasher : PasswordHasher<ServerUser>
{
    private int _checks;

    public int Checks => Volatile.Read(ref _checks);

    public override PasswordVerificationResult VerifyHashedPassword(ServerUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref _checks);
        return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}
