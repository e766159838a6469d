namespace JwtDevices.Revocation;

/// <summary>Why a message on the revocation bus was refused; the tag of <c>jwtdevices.revocation_messages.refused</c>.</summary>
public enum RevocationMessageRefusal
{
    /// <summary>Not a message of the bus's format (or of an older version).</summary>
    Malformed = 1,

    /// <summary>It carries no valid authentication under this node's master keys.</summary>
    Unauthenticated = 2,

    /// <summary>More entries or bytes than a node ever sends in one message.</summary>
    TooLarge = 3,

    /// <summary>An entry revoked too long ago, or later than this node's clock allows.</summary>
    OutOfWindow = 4,

    /// <summary>The node's set of recent revocations is full; the log is the authority.</summary>
    SetFull = 5,
}
