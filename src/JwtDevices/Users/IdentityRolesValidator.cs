using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JwtDevices.Users;

/// <summary>
/// Stops start-up when <see cref="JwtDevicesOptions.IncludeRoles"/> is on but Identity's user store keeps no
/// roles (<c>AddRoles</c> was not called): every token would silently carry none.
/// </summary>
/// <remarks>
/// The store's registered type is read, not a store made: a store may need these very options (one that ends a
/// deleted user's devices), and making it while they are validated would recurse. A store registered by a factory
/// is not checked.
/// </remarks>
internal sealed class IdentityRolesValidator<TUser>(IServiceCollection services) : IValidateOptions<JwtDevicesOptions>
    where TUser : class
{
    public ValidateOptionsResult Validate(string? name, JwtDevicesOptions options)
    {
        if (!options.IncludeRoles)
        {
            return ValidateOptionsResult.Success;
        }
        // The last registration is the one a container resolves.
        var store = services.LastOrDefault(descriptor => descriptor.ServiceType == typeof(IUserStore<TUser>) && !descriptor.IsKeyedService);
        return store?.ImplementationType is { } type && !typeof(IUserRoleStore<TUser>).IsAssignableFrom(type)
            ? ValidateOptionsResult.Fail(
                $"{JwtDevicesDefaults.ConfigurationSection}:{nameof(JwtDevicesOptions.IncludeRoles)} is on, but Identity's user store keeps no roles: "
                + $"call AddRoles<IdentityRole>() before AddEntityFrameworkStores (AddIdentityCore<{typeof(TUser).Name}>().AddRoles<IdentityRole>()...), "
                + "or turn IncludeRoles off.")
            : ValidateOptionsResult.Success;
    }
}
