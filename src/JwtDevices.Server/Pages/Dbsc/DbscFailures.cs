namespace JwtDevices.Server.Pages.Dbsc;

/// <summary>Why a DBSC proof was refused: the <c>jwtdevices.failure.reason</c> of the metric and the log line.</summary>
internal static class DbscFailures
{
    public const string Missing = "missing";
    public const string Malformed = "malformed";
    public const string WrongType = "wrong_type";
    public const string Algorithm = "algorithm";
    public const string Key = "key";
    public const string PrivateKey = "private_key";
    public const string Signature = "signature";
    public const string Challenge = "challenge";
    public const string Replayed = "replayed";
    public const string OtherDevice = "other_device";
    public const string AlreadyBound = "already_bound";
}
