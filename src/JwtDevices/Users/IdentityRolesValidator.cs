using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JwtDevices.Users;

/// <summary>
/// Stops start-up when <see cref="JwtDevicesOptions.IncludeRoles"/> is on but Identity's user store keeps no
/// roles (<c>AddRoles</c> was not called): every token would silently carry none.
/// </summary>
internal sealed class IdentityRolesValidator<TUser>(IServiceScopeFactory scopes) : IValidateOptions<JwtDevicesOptions>
    where TUser : class
{
    public ValidateOptionsResult Validate(string? name, JwtDevicesOptions options)
    {
        if (!options.IncludeRoles)
        {
            return ValidateOptionsResult.Success;
        }
        // UserManager is scoped; making one opens no connection.
        using var scope = scopes.CreateScope();
        return scope.ServiceProvider.GetService<UserManager<TUser>>() is { SupportsUserRole: false }
            ? ValidateOptionsResult.Fail(
                $"{JwtDevicesDefaults.ConfigurationSection}:{nameof(JwtDevicesOptions.IncludeRoles)} is on, but Identity's user store keeps no roles: "
                + $"call AddRoles<IdentityRole>() before AddEntityFrameworkStores (AddIdentityCore<{typeof(TUser).Name}>().AddRoles<IdentityRole>()...), "
                + "or turn IncludeRoles off.")
            : ValidateOptionsResult.Success;
    }
}
