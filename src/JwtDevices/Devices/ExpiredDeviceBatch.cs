namespace JwtDevices.Devices;

/// <summary>What one batch of the expired-device cleanup did.</summary>
/// <param name="Deleted">How many devices the batch deleted.</param>
/// <param name="Revoked">
/// The log entries written for those of them that might still hold a live access token; usually none,
/// since a device expires long after its last token.
/// </param>
public sealed record ExpiredDeviceBatch(int Deleted, IReadOnlyList<DeviceRevocation> Revoked);
