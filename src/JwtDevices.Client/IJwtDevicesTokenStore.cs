namespace JwtDevices.Client;

/// <summary>
/// Where a <see cref="JwtDevicesClient"/> keeps its device's permanent token between runs, and for a device bound by
/// DPoP its private key (<see cref="JwtDevicesStoredToken.DpopKey"/>): a store that drops the key loses the device.
/// One store holds one device of one user on one server. Implementations must make <see cref="SaveAsync"/> durable
/// before it returns: with rotation on, the client uses a successor token only after it is saved, so that a crash
/// never leaves the device with a token the server has retired.
/// </summary>
public interface IJwtDevicesTokenStore
{
    /// <summary>The saved device, or <see langword="null"/> when signed out.</summary>
    ValueTask<JwtDevicesStoredToken?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves the device, replacing what was saved.</summary>
    ValueTask SaveAsync(JwtDevicesStoredToken token, CancellationToken cancellationToken);

    /// <summary>Forgets the device (signed out, or the server ended it).</summary>
    ValueTask ClearAsync(CancellationToken cancellationToken);
}
