using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using JwtDevices.Devices;
using JwtDevices.Revocation;
using JwtDevices.Server.Data;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Server.Commands;

/// <summary>
/// <c>devices list [--user NAME] [--search TEXT] | revoke ID | purge-expired</c>: the devices of every
/// user, in the configured database.
/// </summary>
internal static class DevicesCommand
{
    public const string Name = "devices";

    public static Command Create(CommandContext context) => new(Name, "Manages devices.")
    {
        List(context), Revoke(context), PurgeExpired(context),
    };

    private static Command List(CommandContext context)
    {
        var user = new Option<string?>("--user") { Description = "Only this user's devices." };
        var search = new Option<string?>("--search")
        {
            Description = "Only devices whose user name, e-mail, name or details contain this text, in any case.",
        };
        var command = new Command("list", "Lists devices with their users, oldest first.") { user, search };
        command.SetAction((result, cancellationToken) => context.RunAsync(async services =>
        {
            var name = result.GetValue(user);
            // As every command that names a user: one that does not exist is an error, not an empty list.
            if (name is not null && await context.FindUserAsync(services.GetRequiredService<UserManager<ServerUser>>(), name) is null)
            {
                return 1;
            }
            var db = services.GetRequiredService<ServerDbContext>();
            var rows =
                from device in db.Set<Device>()
                join owner in db.Users on EF.Property<long>(device, ServerDbContext.DeviceOwnerId) equals owner.Id
                select new { device, owner };
            if (name is not null)
            {
                var normalized = name.ToUpperInvariant();
                rows = rows.Where(row => row.owner.NormalizedUserName == normalized);
            }
            if (result.GetValue(search) is { Length: > 0 } text)
            {
                var lower = text.ToLowerInvariant();
                // SQL has no StringComparison: ToLower().Contains() is what both providers translate.
#pragma warning disable CA1862
                rows = rows.Where(row =>
                    row.owner.UserName!.ToLower().Contains(lower)
                    || (row.owner.Email != null && row.owner.Email.ToLower().Contains(lower))
                    || row.device.Name.ToLower().Contains(lower)
                    || row.device.Details.ToLower().Contains(lower));
#pragma warning restore CA1862
            }
            var devices = await rows.OrderBy(row => row.device.Id).ToListAsync(cancellationToken);
            if (devices.Count == 0)
            {
                await context.Output.WriteLineAsync("No devices.");
                return 0;
            }
            // KEY: "DPoP" for a device bound to its client's key, "DBSC" for a browser bound by its session key, so a copied token of it is worthless.
            var table = new TextTable("ID", "USER", "NAME", "DETAILS", "CREATED", "LAST SEEN", "KEY");
            foreach (var row in devices)
            {
                table.Add(
                    row.device.Id.ToString(CultureInfo.InvariantCulture), row.owner.UserName, row.device.Name, row.device.Details,
                    Time(row.device.Created), Time(row.device.LastRequest), row.device.DpopKeyThumbprint is null ? "-" : row.device.DbscPublicKey is null ? "DPoP" : "DBSC");
            }
            await context.Output.WriteAsync(table.ToString());
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Revoke(CommandContext context)
    {
        var id = new Argument<long>("id")
        {
            Description = "The device id, as devices list shows it.",
            CustomParser = argument => WholeNumber(argument, "the device id"),
        };
        var command = new Command("revoke", "Logs a device out: its tokens are refused by every running node within milliseconds on PostgreSQL or with Redis, within about a quarter second on SQLite, and at the latest at each node's next poll of the revocation log (JwtDevices:RevocationPollInterval).") { id };
        command.SetAction((result, cancellationToken) => context.RunAsync(async services =>
        {
            var deviceId = result.GetValue(id);
            var revoked = await services.GetRequiredService<IDeviceRevocationService>()
                .RevokeAsync(deviceId, userId: null, DeviceRevocationReason.RevokedByAdministrator, cancellationToken);
            if (!revoked)
            {
                return await context.FailAsync($"no device has id {deviceId}.");
            }
            await context.Output.WriteLineAsync($"Revoked device {deviceId}.");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command PurgeExpired(CommandContext context)
    {
        var command = new Command("purge-expired", "Deletes the devices idle for longer than the permanent token lifetime, and trims the revocation log.");
        command.SetAction((_, cancellationToken) => context.RunAsync(
            services => PurgeExpiredAsync(services, context.Output, cancellationToken), cancellationToken));
        return command;
    }

    /// <summary>Runs the cleanup; prints how many devices it removed and returns 0.</summary>
    public static async Task<int> PurgeExpiredAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        var removed = await services.GetRequiredService<IDeviceRevocationService>().PurgeExpiredAsync(cancellationToken);
        await output.WriteLineAsync($"Removed {removed} expired devices.");
        return 0;
    }

    // Said in words, where the parser would name a .NET type.
    private static long WholeNumber(ArgumentResult argument, string what)
    {
        var text = argument.Tokens.Single().Value;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        argument.AddError($"{what} must be a whole number, as devices list shows it, not '{text}'.");
        return 0;
    }

    // UTC to the minute: what an operator compares with a user's "I logged in this morning".
    private static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
