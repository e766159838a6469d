using JwtDevices.Devices;

namespace JwtDevices.Revocation;

/// <summary>
/// Carries revocations between the nodes of a deployment, for example over Redis pub/sub
/// (<c>JwtDevices.StackExchangeRedis</c>), within milliseconds. Nodes also poll the revocation log every
/// <see cref="JwtDevicesOptions.RevocationPollInterval"/>, which bounds staleness without a bus or while it is down.
/// </summary>
public interface IDeviceRevocationBus
{
    /// <summary>Whether revocations published by other nodes reach this one now.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Starts delivering other nodes' revocations to <paramref name="onRevoked"/>. After an outage the bus
    /// calls <paramref name="onReconnected"/>, and the node reloads the recent log to catch up on what it
    /// missed. Must not fail when the bus is down: it connects when it can.
    /// </summary>
    ValueTask SubscribeAsync(Action<DeviceRevocation> onRevoked, Action onReconnected, CancellationToken cancellationToken);

    /// <summary>Sends revocations to every node. Must not throw when the bus is down: the log is the fallback.</summary>
    ValueTask PublishAsync(IReadOnlyList<DeviceRevocation> revocations, CancellationToken cancellationToken);
}
