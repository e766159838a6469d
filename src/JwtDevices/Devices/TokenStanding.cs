namespace JwtDevices.Devices;

/// <summary>Where a presented permanent token stands in its device's chain.</summary>
internal enum TokenStanding
{
    /// <summary>Not a token of this device that counts: refused as unknown.</summary>
    Unknown,

    /// <summary>The device's current token.</summary>
    Current,

    /// <summary>The token the last rotation replaced, within the reuse interval: it gets the same successor.</summary>
    Previous,

    /// <summary>A token rotation retired, presented too late or out of turn: taken for a stolen copy.</summary>
    Reused,
}
