using System.CommandLine;
using System.Globalization;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.Server.Data;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server.Commands;

/// <summary>
/// <c>users add | list | remove | lock | unlock | set-password</c>: the server's users, in the configured
/// database. Ending a user's access (remove, lock, a new password) also revokes their devices.
/// </summary>
internal static class UsersCommand
{
    public const string Name = "users";

    public static Command Create(CommandContext context) => new(Name, "Manages users.")
    {
        Add(context), List(context), Remove(context), Lock(context), Unlock(context), SetPassword(context),
    };

    private static Command Add(CommandContext context)
    {
        var name = NameArgument();
        var passwords = new PasswordSource();
        var email = new Option<string?>("--email") { Description = "The e-mail address." };
        var admin = new Option<bool>("--admin") { Description = $"Grants the '{ServerRoles.Admin}' role." };
        var command = new Command("add", $"Adds a user. The password comes from --password-stdin, --password or {PasswordSource.Variable}.")
        {
            name, email, admin,
        };
        passwords.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var (password, problem) = await passwords.ReadAsync(result, context.Input);
            return problem is not null
                ? await context.FailAsync(problem)
                : await context.RunAsync(
                    services => AddAsync(services, result.GetValue(name)!, password!, result.GetValue(email), result.GetValue(admin), context),
                    cancellationToken);
        });
        return command;
    }

    /// <summary>Adds a user; returns 0, or 1 with the reasons written to <paramref name="error"/>.</summary>
    public static async Task<int> AddUserAsync(
        IServiceProvider services, string name, string password, string? email, TextWriter output, TextWriter error, bool admin = false)
    {
        var context = new CommandContext(() => services, TextReader.Null, output, error);
        return await context.RunAsync(scoped => AddAsync(scoped, name, password, email, admin, context), CancellationToken.None);
    }

    private static async Task<int> AddAsync(IServiceProvider services, string name, string password, string? email, bool admin, CommandContext context)
    {
        var users = services.GetRequiredService<UserManager<ServerUser>>();
        var user = new ServerUser { UserName = name, Email = email };
        if (!await SucceedsAsync(await users.CreateAsync(user, password), context))
        {
            return 1;
        }
        if (admin)
        {
            var roles = services.GetRequiredService<RoleManager<IdentityRole<long>>>();
            if (!await roles.RoleExistsAsync(ServerRoles.Admin)
                && !await SucceedsAsync(await roles.CreateAsync(new IdentityRole<long>(ServerRoles.Admin)), context))
            {
                return 1;
            }
            if (!await SucceedsAsync(await users.AddToRoleAsync(user, ServerRoles.Admin), context))
            {
                return 1;
            }
        }
        await context.Output.WriteLineAsync($"Added {(admin ? "administrator" : "user")} '{name}' with id {user.Id}.");
        return 0;
    }

    private static Command List(CommandContext context)
    {
        var command = new Command("list", "Lists the users with their devices, role and lock-out.");
        command.SetAction((_, cancellationToken) => context.RunAsync(async services =>
        {
            var db = services.GetRequiredService<ServerDbContext>();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var adminName = ServerRoles.Admin.ToUpperInvariant();
            var adminRole = db.Roles.Where(role => role.NormalizedName == adminName).Select(role => role.Id);
            var users = await db.Users
                .OrderBy(user => user.Id)
                .Select(user => new
                {
                    user.Id,
                    user.UserName,
                    user.Email,
                    user.LockoutEnd,
                    Admin = db.UserRoles.Any(link => link.UserId == user.Id && adminRole.Contains(link.RoleId)),
                    Devices = db.Set<Device>().Count(device => EF.Property<long>(device, ServerDbContext.DeviceOwnerId) == user.Id),
                })
                .ToListAsync(cancellationToken);
            if (users.Count == 0)
            {
                await context.Output.WriteLineAsync("No users.");
                return 0;
            }
            var table = new TextTable("ID", "NAME", "EMAIL", "ADMIN", "LOCKED", "DEVICES");
            foreach (var user in users)
            {
                table.Add(
                    user.Id.ToString(CultureInfo.InvariantCulture), user.UserName, user.Email,
                    user.Admin ? "yes" : "no", user.LockoutEnd > now ? "yes" : "no", user.Devices.ToString(CultureInfo.InvariantCulture));
            }
            await context.Output.WriteAsync(table.ToString());
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Remove(CommandContext context)
    {
        var name = NameArgument();
        var command = new Command("remove", "Deletes a user and revokes their devices.") { name };
        command.SetAction((result, cancellationToken) => context.RunAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<ServerUser>>();
            if (await context.FindUserAsync(users, result.GetValue(name)!) is not { } user)
            {
                return 1;
            }
            // The server's user store revokes the devices first, so every node refuses their tokens at once.
            if (!await SucceedsAsync(await users.DeleteAsync(user), context))
            {
                return 1;
            }
            await context.Output.WriteLineAsync($"Removed user '{user.UserName}' and their devices.");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Lock(CommandContext context)
    {
        var name = NameArgument();
        var command = new Command("lock", "Locks a user out until unlocked, and revokes their devices.") { name };
        command.SetAction((result, cancellationToken) => context.RunAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<ServerUser>>();
            if (await context.FindUserAsync(users, result.GetValue(name)!) is not { } user)
            {
                return 1;
            }
            if (!await SucceedsAsync(await users.SetLockoutEnabledAsync(user, true), context)
                || !await SucceedsAsync(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue), context))
            {
                return 1;
            }
            var revoked = await RevokeDevicesAsync(services, user, cancellationToken);
            await context.Output.WriteLineAsync($"Locked user '{user.UserName}' and revoked {Devices(revoked)}.");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Unlock(CommandContext context)
    {
        var name = NameArgument();
        var command = new Command("unlock", "Lets a locked-out user log in again.") { name };
        command.SetAction((result, cancellationToken) => context.RunAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<ServerUser>>();
            if (await context.FindUserAsync(users, result.GetValue(name)!) is not { } user)
            {
                return 1;
            }
            if (!await SucceedsAsync(await users.SetLockoutEndDateAsync(user, null), context)
                || !await SucceedsAsync(await users.ResetAccessFailedCountAsync(user), context))
            {
                return 1;
            }
            await context.Output.WriteLineAsync($"Unlocked user '{user.UserName}'.");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command SetPassword(CommandContext context)
    {
        var name = NameArgument();
        var passwords = new PasswordSource();
        var command = new Command("set-password", $"Sets a user's password and revokes their devices. The password comes from --password-stdin, --password or {PasswordSource.Variable}.")
        {
            name,
        };
        passwords.AddTo(command);
        command.SetAction(async (result, cancellationToken) =>
        {
            var (password, problem) = await passwords.ReadAsync(result, context.Input);
            if (problem is not null)
            {
                return await context.FailAsync(problem);
            }
            return await context.RunAsync(async services =>
            {
                var users = services.GetRequiredService<UserManager<ServerUser>>();
                if (await context.FindUserAsync(users, result.GetValue(name)!) is not { } user)
                {
                    return 1;
                }
                // The same path as the user's own change: the rules first (a refused password leaves the old one),
                // then the new hash and security stamp together, then every device ends.
                var (outcome, revoked) = await services.GetRequiredService<UserCredentialChanges>().ResetPasswordAsync(user, password!, cancellationToken);
                if (!await SucceedsAsync(outcome, context))
                {
                    return 1;
                }
                await context.Output.WriteLineAsync($"Set the password of '{user.UserName}' and revoked {Devices(revoked)}.");
                return 0;
            }, cancellationToken);
        });
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The user name." };

    private static Task<int> RevokeDevicesAsync(IServiceProvider services, ServerUser user, CancellationToken cancellationToken) =>
        services.GetRequiredService<IDeviceRevocationService>().RevokeUserAsync(
            user.Id.ToString(CultureInfo.InvariantCulture), DeviceRevocationReason.RevokedByAdministrator, cancellationToken);

    private static string Devices(int count) => count == 1 ? "1 device" : $"{count} devices";

    private static async Task<bool> SucceedsAsync(IdentityResult result, CommandContext context)
    {
        foreach (var failure in result.Errors)
        {
            await context.FailAsync(failure.Description);
        }
        return result.Succeeded;
    }
}
