namespace JwtDevices.Devices;

/// <summary>
/// One entry of the revocation log: a device that ended, and when. Nodes keep the recent entries in
/// memory and refuse the device's access tokens while any of them may still be alive.
/// </summary>
public sealed class DeviceRevocation
{
    /// <summary>The entry's id, given by the store.</summary>
    public long Id { get; set; }

    /// <summary>The device that ended. Device ids are never reused.</summary>
    public long DeviceId { get; set; }

    /// <summary>When it ended (UTC), by the clock of the node that ended it.</summary>
    public DateTimeOffset RevokedAt { get; set; }

    /// <summary>Why it ended.</summary>
    public DeviceRevocationReason Reason { get; set; }
}
