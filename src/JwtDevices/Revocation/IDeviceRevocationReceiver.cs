using JwtDevices.Devices;

namespace JwtDevices.Revocation;

/// <summary>
/// What a <see cref="IDeviceRevocationBus"/> hands what it receives to: the node's revocation synchronizer.
/// It checks every batch before applying it, and answers anything it refuses by reading the revocation log
/// soon, so a refused message never loses a real revocation.
/// </summary>
public interface IDeviceRevocationReceiver
{
    /// <summary>
    /// A batch that the bus has authenticated as another node's. It is applied only when it holds at most
    /// 1,000 entries, each revoked within the last <c>AccessTokenLifetime</c> + <c>ClockSkew</c> + 1 minute
    /// and not more than a minute ahead of this node's clock, and when the node's set of recent revocations
    /// has room; otherwise it is refused as a whole.
    /// </summary>
    void OnRevoked(IReadOnlyList<DeviceRevocation> revocations);

    /// <summary>A message the bus could not read or authenticate: counted, logged, and answered by reading the log.</summary>
    void OnRefused(RevocationMessageRefusal reason);

    /// <summary>
    /// The bus is live: the first time it connects, and again after each outage. The node reloads the recent
    /// log to catch up on what it missed meanwhile (and logs that the bus is back only after an outage).
    /// </summary>
    void OnReconnected();
}
