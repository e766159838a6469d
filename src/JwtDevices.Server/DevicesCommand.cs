using System.CommandLine;
using JwtDevices.Revocation;

namespace JwtDevices.Server;

/// <summary>
/// <c>devices purge-expired</c>: the expired-device cleanup, once, against the configured database; for
/// a cron job where the server's own hourly cleanup is not wanted.
/// </summary>
internal static class DevicesCommand
{
    public static Command Create(IServiceProvider services, TextWriter output)
    {
        var purge = new Command("purge-expired", "Deletes the devices idle for longer than the permanent token lifetime, and trims the revocation log.");
        purge.SetAction((_, cancellationToken) => PurgeExpiredAsync(services, output, cancellationToken));
        return new Command("devices", "Manages devices.") { purge };
    }

    /// <summary>Runs the cleanup; prints how many devices it removed and returns 0.</summary>
    public static async Task<int> PurgeExpiredAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        await ServerDatabase.MigrateAsync(services, cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var removed = await scope.ServiceProvider.GetRequiredService<IDeviceRevocationService>().PurgeExpiredAsync(cancellationToken);
        await output.WriteLineAsync($"Removed {removed} expired devices.");
        return 0;
    }
}
