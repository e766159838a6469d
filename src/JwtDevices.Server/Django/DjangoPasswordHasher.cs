using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Django;

/// <summary>
/// Identity's password hasher, which also verifies the Django hashes of users brought over by
/// <c>import-django</c>. A Django hash that matches answers <see cref="PasswordVerificationResult.SuccessRehashNeeded"/>,
/// so Identity replaces it with its own at that first log-in; an unusable Django password matches nothing.
/// </summary>
internal sealed class DjangoPasswordHasher(IOptions<PasswordHasherOptions>? options = null) : IPasswordHasher<ServerUser>
{
    private readonly PasswordHasher<ServerUser> _identity = new(options);

    public string HashPassword(ServerUser user, string password) => _identity.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(ServerUser user, string hashedPassword, string providedPassword)
    {
        ArgumentNullException.ThrowIfNull(hashedPassword);
        ArgumentNullException.ThrowIfNull(providedPassword);
        if (!DjangoPasswordHashes.IsDjangoHash(hashedPassword))
        {
            return _identity.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
        return DjangoPasswordHashes.Verify(hashedPassword, providedPassword)
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Failed;
    }
}
