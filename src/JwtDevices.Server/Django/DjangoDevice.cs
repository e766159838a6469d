namespace JwtDevices.Server.Django;

/// <summary>
/// A row of drf-jwt-devices' <c>jwt_devices_device</c>. Its <c>jwt_secret</c> is not read: the server signs
/// with keys of its own, and clients refresh their JWTs with the permanent token.
/// </summary>
internal sealed record DjangoDevice(
    long Id,
    long UserId,
    string PermanentToken,
    string Name,
    string Details,
    DateTimeOffset Created,
    DateTimeOffset LastRequest)
{
    /// <summary>Leaves the token out, so that printing or logging the record never shows it.</summary>
    public override string ToString() => $"DjangoDevice {{ Id = {Id}, UserId = {UserId} }}";
}
