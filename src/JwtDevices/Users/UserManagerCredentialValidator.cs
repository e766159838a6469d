using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace JwtDevices.Users;

/// <summary>
/// Checks credentials with ASP.NET Core Identity's <see cref="UserManager{TUser}"/>: a locked-out user
/// (Identity's way to deactivate one) or one whose required confirmation is missing cannot log in.
/// Failed attempts do not count towards lock-out: whoever typed them would lock the account's owner out
/// (the failed-log-in rate limit guards against guessing instead). The user's security stamp goes with
/// the user, hashed, so that a refresh can tell that the credentials changed since the log-in; with
/// <see cref="JwtDevicesOptions.IncludeRoles"/> on, so do the user's roles.
/// </summary>
internal sealed class UserManagerCredentialValidator<TUser>(UserManager<TUser> users, IOptions<IdentityOptions> identityOptions,
    IOptions<PasswordHasherOptions> hasherOptions, IOptions<JwtDevicesOptions> options)
    : IUserCredentialValidator
    where TUser : class
{
    // Hashed once per kind of hasher and its settings (Identity's hasher is scoped, so not per instance),
    // so an unknown name costs the same password check as a wrong password.
    private static readonly ConcurrentDictionary<(Type, int, PasswordHasherCompatibilityMode), string> s_dummyHashes = new();

    public async ValueTask<JwtDevicesUser?> ValidateCredentialsAsync(string username, string password, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(username);
        if (user is null)
        {
            SpendPasswordCheck(password);
            return null;
        }

        // A user without a password refuses after the same check, not at once.
        if (!await CanSignInAsync(user) || !await users.HasPasswordAsync(user))
        {
            SpendPasswordCheck(password);
            return null;
        }

        return await users.CheckPasswordAsync(user, password) ? await DescribeAsync(user) : null;
    }

    public async ValueTask<JwtDevicesUser?> FindActiveUserAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        return user is not null && await CanSignInAsync(user) ? await DescribeAsync(user) : null;
    }

    private async Task<bool> CanSignInAsync(TUser user)
    {
        if (users.SupportsUserLockout && await users.IsLockedOutAsync(user))
        {
            return false;
        }
        var signIn = identityOptions.Value.SignIn;
        if (signIn.RequireConfirmedEmail && !await users.IsEmailConfirmedAsync(user))
        {
            return false;
        }
        if (signIn.RequireConfirmedPhoneNumber && !await users.IsPhoneNumberConfirmedAsync(user))
        {
            return false;
        }
        return true;
    }

    private async Task<JwtDevicesUser> DescribeAsync(TUser user) =>
        new(await users.GetUserIdAsync(user), await users.GetUserNameAsync(user) ?? string.Empty, await users.GetEmailAsync(user))
        {
            SecurityStampHash = users.SupportsUserSecurityStamp ? SecurityStamps.Hash(await users.GetSecurityStampAsync(user)) : null,
            // Read only when tokens carry them (IdentityRolesValidator makes sure the store keeps roles then).
            Roles = options.Value.IncludeRoles && users.SupportsUserRole ? [.. await users.GetRolesAsync(user)] : [],
        };

    private void SpendPasswordCheck(string password)
    {
        var hasher = users.PasswordHasher;
        var settings = hasherOptions.Value;
        var dummyHash = s_dummyHashes.GetOrAdd((hasher.GetType(), settings.IterationCount, settings.CompatibilityMode),
            static (_, h) => h.HashPassword(null!, Guid.NewGuid().ToString()), hasher);
        hasher.VerifyHashedPassword(null!, dummyHash, password);
    }
}
