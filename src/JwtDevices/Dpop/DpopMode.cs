namespace JwtDevices;

/// <summary>Whether log-in binds devices to a DPoP key (RFC 9449), from <see cref="JwtDevicesDpopOptions.Mode"/>.</summary>
public enum DpopMode
{
    /// <summary>
    /// Log-in ignores the <c>DPoP</c> header and binds no device. Devices bound before still need their key for
    /// refreshes and requests: a binding is never dropped silently.
    /// </summary>
    Disabled,

    /// <summary>A log-in that carries a valid proof binds its device to the proof's key; one without gets the seed's answer. The default.</summary>
    Optional,

    /// <summary>A log-in without a valid proof is refused with 400 <c>invalid_dpop_proof</c>.</summary>
    Required,
}
