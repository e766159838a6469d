using System.Collections.Concurrent;
using JwtDevices.Devices;
using Microsoft.Extensions.Options;

namespace JwtDevices.Revocation;

/// <summary>
/// The devices revoked recently enough that one of their access tokens may still be alive, in this
/// node's memory. Authenticating a request asks only this set, so it costs no database command.
/// </summary>
/// <remarks>
/// Memory grows with the revocation rate, never with the number of devices or with what requests
/// carry: entries come only from this node's revocations, the revocation log and the bus, and each
/// is dropped once <see cref="Retention"/> has passed since its revocation. The bus adds only while the
/// set holds fewer than <see cref="BusCapacity"/> entries; this node's own revocations and the log's are
/// always kept, since the log is the authority and dropping one would accept a revoked device's token.
/// </remarks>
internal sealed class RevokedDevices(IOptions<JwtDevicesOptions> options, TimeProvider time)
{
    /// <summary>Covers clocks that differ between the nodes that revoke and those that check.</summary>
    internal static readonly TimeSpan ClockDriftAllowance = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most entries the bus may fill the set to: at about 60 bytes each, 6 MB. With the default
    /// lifetimes that is 280 revocations a second for the whole retention; beyond it, batches from the bus
    /// are refused and the node reads them from the log instead.
    /// </summary>
    internal const int BusCapacity = 100_000;

    // Device id → when the entry may go (UTC ticks).
    private readonly ConcurrentDictionary<long, long> _until = new();

    /// <summary>
    /// How long an entry is kept after its revocation: the longest a token issued before it may live,
    /// plus <see cref="ClockDriftAllowance"/>. A token issued while the device was being revoked is
    /// stamped with a time read before the device was found, so it is covered too.
    /// </summary>
    public TimeSpan Retention { get; } = options.Value.AccessTokenLifetime + options.Value.ClockSkew + ClockDriftAllowance;

    public int Count => _until.Count;

    public bool Contains(long deviceId) => _until.ContainsKey(deviceId);

    public void Add(DeviceRevocation revocation)
    {
        var until = (revocation.RevokedAt + Retention).UtcTicks;
        if (until <= time.GetUtcNow().UtcTicks)
        {
            return;
        }
        _until.AddOrUpdate(revocation.DeviceId, until, (_, existing) => Math.Max(existing, until));
    }

    public void AddRange(IEnumerable<DeviceRevocation> revocations)
    {
        foreach (var revocation in revocations)
        {
            Add(revocation);
        }
    }

    /// <summary>Adds a batch from the bus unless it would take the set past <see cref="BusCapacity"/>.</summary>
    /// <returns>False, with nothing added, when the set has no room for the batch.</returns>
    public bool TryAddFromBus(IReadOnlyList<DeviceRevocation> revocations)
    {
        if (_until.Count + revocations.Count > BusCapacity)
        {
            Prune();
            if (_until.Count + revocations.Count > BusCapacity)
            {
                return false;
            }
        }
        AddRange(revocations);
        return true;
    }

    /// <summary>Drops the entries whose tokens have all expired.</summary>
    public void Prune()
    {
        var now = time.GetUtcNow().UtcTicks;
        foreach (var (deviceId, until) in _until)
        {
            if (until <= now)
            {
                _until.TryRemove(KeyValuePair.Create(deviceId, until));
            }
        }
    }
}
