namespace JwtDevices.Devices;

/// <summary>
/// One login of one user. It holds no secret: only a hash of the permanent token and the salt
/// from which, with the server's master key, the device's signing key is derived.
/// </summary>
public sealed class Device
{
    /// <summary>The device id, given by the store.</summary>
    public long Id { get; set; }

    /// <summary>The id of the user who logged in.</summary>
    public required string UserId { get; set; }

    /// <summary>The device model (<c>X-Device-Model</c>), or the User-Agent when no model was sent.</summary>
    public required string Name { get; set; }

    /// <summary>The User-Agent when a device model was sent, else empty.</summary>
    public required string Details { get; set; }

    /// <summary>SHA-256 of the permanent token; the token itself is never stored.</summary>
    public required byte[] PermanentTokenHash { get; set; }

    /// <summary>
    /// SHA-256 of the permanent token that the last rotation replaced, still accepted for
    /// <see cref="JwtDevicesOptions.RotationReuseInterval"/> after <see cref="PermanentTokenReplaced"/>;
    /// <see langword="null"/> before the first rotation.
    /// </summary>
    public byte[]? PreviousPermanentTokenHash { get; set; }

    /// <summary>When the last rotation replaced the previous permanent token (UTC), or <see langword="null"/>.</summary>
    public DateTimeOffset? PermanentTokenReplaced { get; set; }

    /// <summary>How many times the permanent token was rotated: the current token's generation.</summary>
    public long PermanentTokenGeneration { get; set; }

    /// <summary>The random salt of the device's signing key.</summary>
    public required byte[] KeySalt { get; set; }

    /// <summary>
    /// SHA-256 of the user's security stamp at log-in, or <see langword="null"/> when the user store keeps
    /// none (and for devices made before stamps were kept). A refresh after the stamp changed is refused.
    /// </summary>
    public byte[]? SecurityStampHash { get; set; }

    /// <summary>
    /// The RFC 7638 SHA-256 thumbprint (base64url) of the DPoP key the device proved at log-in, or
    /// <see langword="null"/> for a device bound to no key. A bound device's tokens carry it as <c>cnf.jkt</c>, and
    /// its refreshes and requests need a proof by that key.
    /// </summary>
    public string? DpopKeyThumbprint { get; set; }

    /// <summary>
    /// The public JWK (JSON) of the browser key a Device Bound Session Credentials (DBSC) session registered, or
    /// <see langword="null"/>. When set, the device is bound by DBSC rather than by DPoP: <see cref="DpopKeyThumbprint"/>
    /// holds this key's thumbprint, and the browser's refresh proofs are checked with this key.
    /// </summary>
    public string? DbscPublicKey { get; set; }

    /// <summary>When the device was created (UTC).</summary>
    public DateTimeOffset Created { get; set; }

    /// <summary>When the device last refreshed its token, to the accuracy window (UTC).</summary>
    public DateTimeOffset LastRequest { get; set; }
}
