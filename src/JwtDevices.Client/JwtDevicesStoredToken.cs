namespace JwtDevices.Client;

/// <summary>What a <see cref="IJwtDevicesTokenStore"/> keeps: the device's permanent token and id. The token is a secret.</summary>
/// <param name="PermanentToken">The permanent token; with rotation on, the newest successor.</param>
/// <param name="DeviceId">The device's id on the server.</param>
public sealed record JwtDevicesStoredToken(string PermanentToken, long DeviceId)
{
    /// <summary>Leaves the token out, so that a log line of the record shows no secret.</summary>
    public override string ToString() => $"{nameof(JwtDevicesStoredToken)} {{ {nameof(DeviceId)} = {DeviceId} }}";
}
