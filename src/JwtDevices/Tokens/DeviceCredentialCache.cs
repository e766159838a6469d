using JwtDevices.Devices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JwtDevices.Tokens;

/// <summary>
/// Keeps each device's credentials in memory so that authenticating a request costs no database
/// round trip. Deleting a device on this node replaces its entry with a "missing" mark at once.
/// </summary>
/// <remarks>
/// Devices that do not exist are remembered too, for a few seconds: a token naming a made-up or
/// deleted device is refused before its signature can be checked, so without the mark anyone could
/// make every such request cost a query.
/// </remarks>
internal sealed class DeviceCredentialCache : IDisposable
{
    /// <summary>Bounds memory whatever device ids requests make up; an entry counts as one.</summary>
    internal const int MaximumEntries = 100_000;

    /// <summary>How long a node trusts that a device is missing before asking the store again.</summary>
    internal static readonly TimeSpan MissingDeviceLifetime = TimeSpan.FromSeconds(5);

    private static readonly object s_missing = new();

    // Our own instance: an application's shared cache may be configured in ways our entries don't expect.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaximumEntries });
    private readonly AccessTokenService _tokens;
    private readonly MemoryCacheEntryOptions _found;
    private readonly MemoryCacheEntryOptions _missing;

    // Bumped by every removal, so a load that raced with a log-out does not put the device back.
    private long _removals;

    public DeviceCredentialCache(AccessTokenService tokens, IOptions<JwtDevicesOptions> options)
    {
        _tokens = tokens;
        _found = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = options.Value.DeviceCacheLifetime, Size = 1 };
        _missing = new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = MissingDeviceLifetime, Size = 1 };
    }

    /// <summary>Returns the device's credentials, loading the device from the store on a miss.</summary>
    /// <returns><see langword="null"/> when the device does not exist.</returns>
    public async ValueTask<DeviceCredentials?> GetAsync(long deviceId, IServiceProvider requestServices, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(deviceId, out var cached))
        {
            return cached as DeviceCredentials;
        }

        var removalsBefore = Interlocked.Read(ref _removals);
        var device = await requestServices.GetRequiredService<IDeviceStore>().FindByIdAsync(deviceId, cancellationToken);
        var credentials = device is null ? null : _tokens.CreateCredentials(device);
        if (Interlocked.Read(ref _removals) == removalsBefore)
        {
            _cache.Set(deviceId, (object?)credentials ?? s_missing, credentials is null ? _missing : _found);
        }
        return credentials;
    }

    /// <summary>Keeps the credentials of a device just created, replacing any "missing" mark for its id.</summary>
    public void Add(DeviceCredentials credentials) =>
        _cache.Set(credentials.DeviceId!.Value, credentials, _found);

    /// <summary>Forgets a deleted device, so its tokens are refused from now on.</summary>
    public void Remove(long deviceId)
    {
        Interlocked.Increment(ref _removals);
        _cache.Set(deviceId, s_missing, _missing);
    }

    public void Dispose() => _cache.Dispose();
}
