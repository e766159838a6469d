namespace JwtDevices;

/// <summary>
/// Settings of DPoP (RFC 9449), bound from the <c>JwtDevices:Dpop</c> configuration section and checked at
/// start-up: a device that logs in with a proof is bound to the proof's key, and its refreshes and requests
/// then need a fresh proof by that key (see docs/dpop.md).
/// </summary>
public sealed class JwtDevicesDpopOptions
{
    /// <summary>The configuration section: <c>JwtDevices:Dpop</c>.</summary>
    public const string ConfigurationSection = JwtDevicesDefaults.ConfigurationSection + ":Dpop";

    /// <summary>The algorithms accepted when <see cref="Algorithms"/> is not set: asymmetric ones only.</summary>
    public static readonly IReadOnlyList<string> DefaultAlgorithms = ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"];

    /// <summary>The algorithms a proof may be signed with, whatever the configuration: never <c>none</c> nor a symmetric one.</summary>
    internal static readonly IReadOnlySet<string> SupportedAlgorithms = new HashSet<string>(DefaultAlgorithms, StringComparer.Ordinal);

    /// <summary>Whether log-in binds devices to a key: <see cref="DpopMode.Optional"/> (the default), <see cref="DpopMode.Required"/> or <see cref="DpopMode.Disabled"/>.</summary>
    public DpopMode Mode { get; set; } = DpopMode.Optional;

    /// <summary>
    /// The <c>alg</c> values a proof may use, announced in the <c>algs</c> of <c>WWW-Authenticate: DPoP</c>. Default:
    /// ES256, ES384, ES512, PS256, PS384, PS512, RS256, RS384, RS512. Only these asymmetric algorithms can be listed.
    /// </summary>
    public IList<string> Algorithms { get; set; } = [];

    /// <summary>
    /// How old a proof's <c>iat</c> may be. Default: 1 minute. Each proof's <c>jti</c> is remembered for this long
    /// (plus <see cref="ProofClockSkew"/> twice), so a longer lifetime costs memory (and Redis) in proportion.
    /// </summary>
    public TimeSpan ProofLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How far a client's clock may be ahead of or behind the server's. Default: 5 seconds.</summary>
    public TimeSpan ProofClockSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether every proof must carry a <c>nonce</c> the server gave (RFC 9449 §8): a proof without one, or with a
    /// stale one, is refused with <c>use_dpop_nonce</c> and a fresh <c>DPoP-Nonce</c> header. It bounds how early
    /// a proof can have been made, whatever the client's clock. Default: <see langword="false"/>.
    /// </summary>
    public bool RequireNonce { get; set; }

    /// <summary>
    /// How long one server nonce stays in use; a nonce is accepted during its window and the next. Default: 5 minutes.
    /// </summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The public origin (<c>https://api.example.com</c>, optionally with a port) that proofs' <c>htu</c> must
    /// name, when the request's scheme and host as the forwarded-headers settings see them are not that origin.
    /// The request's path base and path follow it. Default: none, the request's own.
    /// </summary>
    public string? PublicOrigin { get; set; }

    /// <summary>
    /// How many proofs' <c>jti</c> a node remembers at most. Default: 1,000,000 (about 50 MB when full); enough
    /// for some 12,000 bound requests a second with the default lifetimes. When full of live entries, new proofs
    /// are refused rather than risk a replay.
    /// </summary>
    public int ReplayCacheSize { get; set; } = 1_000_000;

    /// <summary>
    /// With a shared replay store (Redis), whether a proof is refused while the store cannot be reached.
    /// Default: <see langword="false"/>: the node's own replay cache still refuses replays to this node, a
    /// warning is logged and counted, and requests carry on (a replay to another node stays possible for the
    /// proof lifetime, and only with a proof captured from the client).
    /// </summary>
    public bool RefuseWhenReplayStoreDown { get; set; }

    /// <summary>The algorithms in force: <see cref="Algorithms"/> when set, else <see cref="DefaultAlgorithms"/>.</summary>
    internal IReadOnlyList<string> AlgorithmsInForce => Algorithms.Count > 0 ? [.. Algorithms] : DefaultAlgorithms;
}
