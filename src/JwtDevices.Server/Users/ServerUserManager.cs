using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Users;

/// <summary>
/// Identity's user manager, except for how a password check upgrades an old hash (a Django hash, or
/// Identity's own at fewer iterations than configured): the new hash replaces the old in one conditional
/// update that leaves the security stamp alone. Identity's own upgrade moves the stamp, which would end the
/// user's other devices at their next refresh, and its failed save under concurrent log-ins stays in the
/// shared context for the next save to throw.
/// </summary>
internal sealed class ServerUserManager(
    IUserStore<ServerUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<ServerUser> passwordHasher,
    IEnumerable<IUserValidator<ServerUser>> userValidators,
    IEnumerable<IPasswordValidator<ServerUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<ServerUser>> logger)
    : UserManager<ServerUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    protected override async Task<PasswordVerificationResult> VerifyPasswordAsync(IUserPasswordStore<ServerUser> store, ServerUser user, string password)
    {
        var result = await base.VerifyPasswordAsync(store, user, password);
        if (result != PasswordVerificationResult.SuccessRehashNeeded || store is not ServerUserStore users)
        {
            return result;
        }
        await users.UpgradePasswordHashAsync(user, PasswordHasher.HashPassword(user, password), CancellationToken);
        return PasswordVerificationResult.Success;
    }
}
