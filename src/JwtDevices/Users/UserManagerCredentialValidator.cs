using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace JwtDevices.Users;

/// <summary>
/// Checks credentials with ASP.NET Core Identity's <see cref="UserManager{TUser}"/>: a locked-out user
/// (Identity's way to deactivate one) or one whose required confirmation is missing cannot log in,
/// and failed attempts count towards lock-out.
/// </summary>
internal sealed class UserManagerCredentialValidator<TUser>(UserManager<TUser> users, IOptions<IdentityOptions> identityOptions)
    : IUserCredentialValidator
    where TUser : class
{
    // Hashed once, so an unknown name costs the same password check as a wrong password.
    private static string? s_dummyHash;

    public async ValueTask<JwtDevicesUser?> ValidateCredentialsAsync(string username, string password, CancellationToken cancellationToken)
    {
        var user = await users.FindByNameAsync(username);
        if (user is null)
        {
            SpendPasswordCheck(password);
            return null;
        }

        if (!await CanSignInAsync(user))
        {
            SpendPasswordCheck(password);
            return null;
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            if (users.SupportsUserLockout)
            {
                await users.AccessFailedAsync(user);
            }
            return null;
        }

        if (users.SupportsUserLockout && await users.GetAccessFailedCountAsync(user) > 0)
        {
            await users.ResetAccessFailedCountAsync(user);
        }
        return await DescribeAsync(user);
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
        new(await users.GetUserIdAsync(user), await users.GetUserNameAsync(user) ?? string.Empty, await users.GetEmailAsync(user));

    private void SpendPasswordCheck(string password)
    {
        s_dummyHash ??= users.PasswordHasher.HashPassword(null!, Guid.NewGuid().ToString());
        users.PasswordHasher.VerifyHashedPassword(null!, s_dummyHash, password);
    }
}
