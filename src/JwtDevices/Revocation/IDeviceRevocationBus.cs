using JwtDevices.Devices;

namespace JwtDevices.Revocation;

/// <summary>
/// Carries revocations between the nodes of a deployment, for example over Redis pub/sub
/// (<c>JwtDevices.StackExchangeRedis</c>), within milliseconds. Nodes also poll the revocation log every
/// <see cref="JwtDevicesOptions.RevocationPollInterval"/>, which bounds staleness without a bus or while it is down.
/// </summary>
public interface IDeviceRevocationBus
{
    /// <summary>The most revocations one message carries; receivers refuse larger batches.</summary>
    const int MaxRevocationsPerMessage = 1000;

    /// <summary>Whether revocations published by other nodes reach this one now, and this node's reach them.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Starts delivering other nodes' revocations to <paramref name="receiver"/>, one batch per message, once
    /// the bus has authenticated it; a message it cannot read or authenticate goes to
    /// <see cref="IDeviceRevocationReceiver.OnRefused"/>. After an outage the bus calls
    /// <see cref="IDeviceRevocationReceiver.OnReconnected"/>. Must not fail when the bus is down: it connects when it can.
    /// </summary>
    ValueTask SubscribeAsync(IDeviceRevocationReceiver receiver, CancellationToken cancellationToken);

    /// <summary>
    /// Sends revocations to every node, at most <see cref="MaxRevocationsPerMessage"/> per call. Must not throw
    /// when the bus is down: the log is the fallback.
    /// </summary>
    ValueTask PublishAsync(IReadOnlyList<DeviceRevocation> revocations, CancellationToken cancellationToken);
}
