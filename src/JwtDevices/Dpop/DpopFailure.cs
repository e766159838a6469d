using JwtDevices.Endpoints;

namespace JwtDevices.Dpop;

/// <summary>Why a DPoP proof, or a request's use of DPoP, was refused; the metric tag is its name in snake case.</summary>
internal enum DpopFailure
{
    None,
    Missing,
    Multiple,
    Malformed,
    WrongType,
    Algorithm,
    Key,
    PrivateKey,
    Signature,
    Claims,
    Method,
    TargetUri,
    IssuedAt,
    AccessTokenHash,
    Nonce,
    Replayed,
    ReplayCacheFull,
    ReplayStoreDown,
    KeyMismatch,
    UnboundToken,
    BoundTokenWithoutDpop,
}

/// <summary>The fixed texts and codes of <see cref="DpopFailure"/>: nothing of the proof goes into them.</summary>
internal static class DpopFailures
{
    /// <summary>The OAuth error code (RFC 9449 §5, §7.1, §8).</summary>
    public static string Error(this DpopFailure failure) => failure switch
    {
        DpopFailure.Nonce => JwtDevicesErrors.UseDpopNonce,
        DpopFailure.UnboundToken or DpopFailure.BoundTokenWithoutDpop => JwtDevicesErrors.InvalidToken,
        _ => JwtDevicesErrors.InvalidDpopProof,
    };

    public static string Describe(this DpopFailure failure) => failure switch
    {
        DpopFailure.Missing => "A DPoP proof is required.",
        DpopFailure.Multiple => "Send exactly one DPoP header.",
        DpopFailure.Malformed => "The DPoP proof is not a signed JWT.",
        DpopFailure.WrongType => "The DPoP proof's typ must be dpop+jwt.",
        DpopFailure.Algorithm => "The DPoP proof's alg is not one the server accepts.",
        DpopFailure.Key => "The DPoP proof's jwk must be a public EC or RSA key (RSA of at least 2048 bits) that fits its alg.",
        DpopFailure.PrivateKey => "The DPoP proof's jwk holds a private key part.",
        DpopFailure.Signature => "The DPoP proof's signature is not valid.",
        DpopFailure.Claims => "The DPoP proof must carry jti, htm, htu and iat.",
        DpopFailure.Method => "The DPoP proof was made for another HTTP method.",
        DpopFailure.TargetUri => "The DPoP proof was made for another URL.",
        DpopFailure.IssuedAt => "The DPoP proof's iat is too old or in the future.",
        DpopFailure.AccessTokenHash => "The DPoP proof's ath is not the hash of this access token.",
        DpopFailure.Nonce => "The DPoP proof must carry the nonce of the DPoP-Nonce header.",
        DpopFailure.Replayed => "This DPoP proof was used before.",
        DpopFailure.ReplayCacheFull => "The server cannot remember more DPoP proofs right now; try again shortly.",
        DpopFailure.ReplayStoreDown => "The server cannot check DPoP proofs for replay right now; try again shortly.",
        DpopFailure.KeyMismatch => "The DPoP proof is not signed by the key this device is bound to.",
        DpopFailure.UnboundToken => "The access token is not bound to a DPoP key; send it as Bearer.",
        DpopFailure.BoundTokenWithoutDpop => "The access token is bound to a DPoP key: send it as DPoP, with a proof.",
        _ => "The DPoP proof is not valid.",
    };

    private static readonly string[] s_tags = Enum.GetValues<DpopFailure>().Select(value => SnakeCase(value.ToString())).ToArray();

    /// <summary>The metric tag, made once per value.</summary>
    public static string Tag(this DpopFailure failure) => s_tags[(int)failure];

    private static string SnakeCase(string name) =>
        string.Concat(name.Select((character, index) => char.IsUpper(character) && index > 0 ? "_" + char.ToLowerInvariant(character) : char.ToLowerInvariant(character).ToString()));
}
