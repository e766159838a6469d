using System.Diagnostics;
using JwtDevices.Devices;
using JwtDevices.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JwtDevices.Events;

/// <summary>
/// Raises the device events, with their log line and measurement, in one place: the application's
/// <see cref="JwtDevicesEvents"/> (of the first JwtDevices scheme, from <c>EventsType</c>
/// when set) sees them after the change is stored. One per scope; the endpoints give it their request.
/// </summary>
internal sealed class DeviceEventRaiser(
    IServiceProvider services,
    IOptions<JwtDevicesOptions> options,
    JwtDevicesMetrics metrics,
    ILogger<DeviceEventRaiser> logger)
{
    /// <summary>The request being served, when there is one.</summary>
    public HttpContext? HttpContext { get; set; }

    private JwtDevicesOptions Options => options.Value;

    private JwtDevicesEvents Events =>
        Options.EventsType is { } type ? (JwtDevicesEvents)services.GetRequiredService(type) : Options.Events;

    /// <summary>Lets the application require DPoP for this user (<see cref="JwtDevicesEvents.DpopLogIn"/>); whether it is required.</summary>
    public async Task<bool> DpopLogInAsync(Users.JwtDevicesUser user, string? keyThumbprint, bool requireDpop)
    {
        var context = new DpopLogInContext(services, Options, HttpContext, user, keyThumbprint, requireDpop);
        await Events.DpopLogIn(context);
        return context.RequireDpop;
    }

    /// <summary>A token endpoint refused a proof: raises <see cref="JwtDevicesEvents.DpopProofRefused"/> (the caller logged and counted it).</summary>
    public Task DpopProofRefusedAsync(string use, Dpop.DpopFailure failure, long? deviceId) =>
        Events.DpopProofRefused(new DpopProofRefusedContext(services, Options, HttpContext, use, Dpop.DpopFailures.Error(failure), Dpop.DpopFailures.Describe(failure), deviceId));

    /// <summary>A browser registered its DBSC key: raises <see cref="JwtDevicesEvents.DbscRegistered"/> (the caller logged and counted it).</summary>
    public Task DbscRegisteredAsync(long deviceId, string keyThumbprint) =>
        Events.DbscRegistered(new DbscRegisteredContext(services, Options, HttpContext, deviceId, keyThumbprint));

    /// <summary>A bound browser renewed its cookie: raises <see cref="JwtDevicesEvents.DbscRefreshed"/> (the caller counted it).</summary>
    public Task DbscRefreshedAsync(long deviceId, string userId) =>
        Events.DbscRefreshed(new DbscRefreshedContext(services, Options, HttpContext, deviceId, userId));

    /// <summary>A DBSC proof was refused: raises <see cref="JwtDevicesEvents.DbscProofRefused"/> (the caller logged and counted it).</summary>
    public Task DbscProofRefusedAsync(string use, string reason, long? deviceId) =>
        Events.DbscProofRefused(new DbscProofRefusedContext(services, Options, HttpContext, use, reason, deviceId));

    public Task DeviceCreatedAsync(Device device)
    {
        Log.DeviceCreated(logger, device.Id, device.UserId);
        TagActivity(device.Id);
        return Events.DeviceCreated(new DeviceCreatedContext(services, Options, HttpContext, device.Id, device.UserId, device.Name));
    }

    // The log-in or refresh activity learns its device here.
    private static void TagActivity(long deviceId)
    {
        if (Activity.Current is { } activity && activity.Source == JwtDevicesDiagnostics.ActivitySource)
        {
            activity.SetTag(JwtDevicesDiagnostics.DeviceIdTag, deviceId);
        }
    }

    public Task TokenRefreshedAsync(long deviceId, string userId)
    {
        Log.TokenRefreshed(logger, deviceId, userId);
        TagActivity(deviceId);
        return Events.TokenRefreshed(new TokenRefreshedContext(services, Options, HttpContext, deviceId, userId));
    }

    public Task DeviceRevokedAsync(DeviceRevocation revocation)
    {
        Log.DeviceRevoked(logger, revocation.DeviceId, revocation.Reason);
        metrics.Revoked(revocation.Reason);
        return Events.DeviceRevoked(new DeviceRevokedContext(services, Options, HttpContext, revocation));
    }

    /// <summary>
    /// A rotated permanent token came back: logs a warning, counts it and raises <see cref="JwtDevicesEvents.ReuseDetected"/>.
    /// Call it when the reuse is found; revoke the device as usual (its own DeviceRevoked follows).
    /// </summary>
    public Task ReuseDetectedAsync(long deviceId, string userId)
    {
        Log.ReuseDetected(logger, deviceId, userId);
        metrics.ReuseDetected();
        return Events.ReuseDetected(new ReuseDetectedContext(services, Options, HttpContext, deviceId, userId));
    }

    /// <summary>
    /// A log-in met the user's device limit: logs it, counts it and raises <see cref="JwtDevicesEvents.DeviceLimitReached"/>.
    /// Pass the evicted devices (after they are revoked), or none when the log-in is refused.
    /// </summary>
    public Task DeviceLimitReachedAsync(string userId, int limit, IReadOnlyList<long> evictedDeviceIds)
    {
        var refused = evictedDeviceIds.Count == 0;
        Log.DeviceLimitReached(logger, userId, limit, refused ? JwtDevicesMetrics.Refused : JwtDevicesMetrics.Evicted, evictedDeviceIds.Count);
        metrics.DeviceLimitReached(refused);
        return Events.DeviceLimitReached(new DeviceLimitReachedContext(services, Options, HttpContext, userId, limit, evictedDeviceIds));
    }
}
