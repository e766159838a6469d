namespace JwtDevices.Client;

/// <summary>The data of <see cref="JwtDevicesClient.TokenRefreshed"/>. It carries no token.</summary>
public sealed class TokenRefreshedEventArgs : EventArgs
{
    internal TokenRefreshedEventArgs(long? deviceId, DateTimeOffset expires, bool rotated)
    {
        DeviceId = deviceId;
        Expires = expires;
        Rotated = rotated;
    }

    /// <summary>The device.</summary>
    public long? DeviceId { get; }

    /// <summary>When the new JWT expires, on the client's clock.</summary>
    public DateTimeOffset Expires { get; }

    /// <summary>Whether the server rotated the permanent token (the successor is already saved).</summary>
    public bool Rotated { get; }
}
