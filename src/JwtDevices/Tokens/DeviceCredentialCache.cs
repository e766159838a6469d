using JwtDevices.Devices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JwtDevices.Tokens;

/// <summary>
/// Keeps each device's credentials in memory so that authenticating a request costs no database
/// round trip. Deleting a device on this node removes its entry at once.
/// </summary>
internal sealed class DeviceCredentialCache : IDisposable
{
    // Our own instance: an application's shared cache may have a size limit our entries don't declare.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());
    private readonly AccessTokenService _tokens;
    private readonly TimeSpan _lifetime;

    // Bumped by every removal, so a load that raced with a log-out does not put the device back.
    private long _removals;

    public DeviceCredentialCache(AccessTokenService tokens, IOptions<JwtDevicesOptions> options)
    {
        _tokens = tokens;
        _lifetime = options.Value.DeviceCacheLifetime;
    }

    /// <summary>Returns the device's credentials, loading the device from the store on a miss.</summary>
    /// <returns><see langword="null"/> when the device does not exist.</returns>
    public async ValueTask<DeviceCredentials?> GetAsync(long deviceId, IServiceProvider requestServices, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(deviceId, out DeviceCredentials? cached))
        {
            return cached;
        }

        var removalsBefore = Interlocked.Read(ref _removals);
        var device = await requestServices.GetRequiredService<IDeviceStore>().FindByIdAsync(deviceId, cancellationToken);
        if (device is null)
        {
            return null;
        }
        var credentials = _tokens.CreateCredentials(device);
        if (Interlocked.Read(ref _removals) == removalsBefore)
        {
            _cache.Set(deviceId, credentials, _lifetime);
        }
        return credentials;
    }

    /// <summary>Forgets a deleted device, so its tokens are refused from now on.</summary>
    public void Remove(long deviceId)
    {
        Interlocked.Increment(ref _removals);
        _cache.Remove(deviceId);
    }

    public void Dispose() => _cache.Dispose();
}
