using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JwtDevices.Revocation;

/// <summary>
/// Every <see cref="JwtDevicesOptions.CleanupInterval"/>, deletes expired devices in set-based batches
/// and trims the revocation log. Several nodes may run it at once: a batch deletes only what is still there.
/// </summary>
internal sealed partial class DeviceCleanupService(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<JwtDevicesOptions> options,
    ILogger<DeviceCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.CleanupInterval, time, stoppingToken);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IDeviceRevocationService>().PurgeExpiredAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogCleanupFailed(logger, exception.GetType().Name);
            }
        }
    }

    [LoggerMessage(23, LogLevel.Warning, "Expired-device cleanup failed ({Error}); it runs again at the next interval.", EventName = "CleanupFailed")]
    private static partial void LogCleanupFailed(ILogger logger, string error);
}
