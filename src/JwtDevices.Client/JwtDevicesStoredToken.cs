using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace JwtDevices.Client;

/// <summary>
/// What a <see cref="IJwtDevicesTokenStore"/> keeps: the device's permanent token and id, and the private key the
/// device is bound to when the server bound it (DPoP). The token and the key are secrets.
/// </summary>
/// <param name="PermanentToken">The permanent token; with rotation on, the newest successor.</param>
/// <param name="DeviceId">The device's id on the server.</param>
public sealed record JwtDevicesStoredToken(string PermanentToken, long DeviceId)
{
    /// <summary>
    /// The device's DPoP key (P-256), when the server bound the device to it at sign-in; <see langword="null"/> for an
    /// unbound device. A store keeps it with the token: without it a bound device can no longer refresh. The client
    /// disposes of it when the device is signed out or ended.
    /// </summary>
    [JsonIgnore]
    public ECDsa? DpopKey { get; init; }

    /// <summary>Leaves the token and the key out, so that a log line of the record shows no secret.</summary>
    public override string ToString() => $"{nameof(JwtDevicesStoredToken)} {{ {nameof(DeviceId)} = {DeviceId}, Bound = {DpopKey is not null} }}";
}
