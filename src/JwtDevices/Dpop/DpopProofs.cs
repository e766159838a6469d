using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using JwtDevices.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace JwtDevices.Dpop;

/// <summary>
/// The DPoP step of a request, shared by the token endpoints and the scheme: reads the one <c>DPoP</c> header,
/// checks the proof against the request as clients name it (<see cref="DpopTargetUri"/>), then remembers it so
/// that it is good once: in the node's <see cref="DpopReplayCache"/>, then in the shared
/// <see cref="IDpopReplayStore"/> when there is one.
/// </summary>
internal sealed partial class DpopProofs
{
    /// <summary>The request header of a proof, and the authorization scheme of a bound token.</summary>
    public const string Header = "DPoP";

    /// <summary>The response header of a server nonce.</summary>
    public const string NonceHeader = "DPoP-Nonce";

    private readonly JwtDevicesDpopOptions _options;
    private readonly DpopProofValidator _validator;
    private readonly DpopNonces _nonces;
    private readonly DpopReplayCache _cache;
    private readonly IDpopReplayStore? _store;
    private readonly TimeProvider _time;
    private readonly JwtDevicesMetrics _metrics;
    private readonly ILogger _logger;
    private readonly string? _publicOrigin;
    private readonly TimeSpan _retention;
    private volatile bool _storeDownLogged;

    public DpopProofs(
        IOptions<JwtDevicesDpopOptions> options,
        DpopProofValidator validator,
        DpopNonces nonces,
        TimeProvider time,
        JwtDevicesMetrics metrics,
        ILogger<DpopProofs> logger,
        IEnumerable<IDpopReplayStore> stores)
    {
        _options = options.Value;
        _validator = validator;
        _nonces = nonces;
        _cache = new DpopReplayCache(_options.ReplayCacheSize);
        _store = stores.LastOrDefault();
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _publicOrigin = _options.PublicOrigin is { } origin ? DpopTargetUri.ParseOrigin(origin) : null;
        // A proof is good from iat - skew until iat + lifetime + skew, and iat may be up to skew ahead of now.
        _retention = _options.ProofLifetime + _options.ProofClockSkew + _options.ProofClockSkew;
        Algorithms = string.Join(' ', _options.AlgorithmsInForce);
    }

    public DpopMode Mode => _options.Mode;

    /// <summary>The accepted algorithms, space-separated, for the <c>algs</c> of a challenge.</summary>
    public string Algorithms { get; }

    /// <summary>The request's proof; <see cref="DpopFailure.Multiple"/> when it sent more than one <c>DPoP</c> header.</summary>
    public static (string? Proof, DpopFailure Failure) Read(HttpRequest request)
    {
        var values = request.Headers[Header];
        return values.Count switch
        {
            0 => (null, DpopFailure.None),
            1 when !string.IsNullOrEmpty(values[0]) => (values[0], DpopFailure.None),
            1 => (null, DpopFailure.Malformed),
            _ => (null, DpopFailure.Multiple),
        };
    }

    /// <summary>
    /// Checks the request's proof, presented with the access token whose <see cref="DpopProofValidator.AccessTokenHash"/>
    /// is <paramref name="accessTokenHash"/> (none at the token endpoints), and remembers it.
    /// </summary>
    public async ValueTask<DpopProofCheck> CheckAsync(HttpContext context, string proof, string? accessTokenHash)
    {
        var request = context.Request;
        var check = _validator.Validate(proof, request.Method, DpopTargetUri.FromRequest(request, _publicOrigin), accessTokenHash);
        if (check.Failure != DpopFailure.None)
        {
            return check;
        }
        var failure = await RememberAsync(check.Thumbprint!, check.Jti!, context.RequestAborted);
        return failure == DpopFailure.None ? check : DpopProofCheck.Failed(failure);
    }

    /// <summary>With nonces required, gives the client the current one (RFC 9449 §8.2 lets any answer carry it).</summary>
    public void AddNonce(HttpResponse response)
    {
        if (_options.RequireNonce)
        {
            response.Headers[NonceHeader] = _nonces.Current;
        }
    }

    /// <summary>Logs and counts a refusal; the caller raises the event.</summary>
    public void LogRefused(HttpContext context, DpopFailure failure, string use)
    {
        Log.DpopProofRefused(_logger, use, context.Request.Path, failure.Describe());
        _metrics.DpopProofRefused(failure.Tag(), use);
    }

    private async ValueTask<DpopFailure> RememberAsync(string thumbprint, string jti, CancellationToken cancellationToken)
    {
        var (key, storeKey) = KeyOf(thumbprint, jti, _store is not null);
        var now = _time.GetUtcNow().UtcTicks;
        switch (_cache.TryAdd(key, now + _retention.Ticks, now))
        {
            case DpopReplayOutcome.Replayed:
                return DpopFailure.Replayed;
            case DpopReplayOutcome.Full:
                LogReplayCacheFull(_logger, _options.ReplayCacheSize);
                return DpopFailure.ReplayCacheFull;
        }
        if (_store is null)
        {
            return DpopFailure.None;
        }

        var stored = await _store.TryAddAsync(storeKey!, _retention, cancellationToken);
        if (stored == DpopReplayStoreResult.Replayed)
        {
            return DpopFailure.Replayed;
        }
        if (stored == DpopReplayStoreResult.Unavailable)
        {
            _metrics.DpopReplayStoreUnavailable();
            if (!_storeDownLogged)
            {
                _storeDownLogged = true;
                LogReplayStoreDown(_logger, _options.RefuseWhenReplayStoreDown ? "refused" : "checked against this node's cache only");
            }
            return _options.RefuseWhenReplayStoreDown ? DpopFailure.ReplayStoreDown : DpopFailure.None;
        }
        _storeDownLogged = false;
        return DpopFailure.None;
    }

    // One hash names the proof: 128 bits of it in memory, all of it in the shared store.
    private static (Int128 Key, string? StoreKey) KeyOf(string thumbprint, string jti, bool forStore)
    {
        Span<byte> input = stackalloc byte[thumbprint.Length + 1 + Encoding.UTF8.GetMaxByteCount(jti.Length)];
        var written = Encoding.UTF8.GetBytes(thumbprint, input);
        input[written++] = (byte)'\n';
        written += Encoding.UTF8.GetBytes(jti, input[written..]);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input[..written], hash);
        var key = new Int128(BinaryPrimitives.ReadUInt64LittleEndian(hash), BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]));
        return (key, forStore ? Base64Url.EncodeToString(hash) : null);
    }

    [LoggerMessage(13, LogLevel.Warning,
        "The DPoP replay cache holds {Capacity} live proofs: new proofs are refused until some expire. Raise JwtDevices:Dpop:ReplayCacheSize.",
        EventName = "DpopReplayCacheFull")]
    private static partial void LogReplayCacheFull(ILogger logger, int capacity);

    [LoggerMessage(14, LogLevel.Warning,
        "The shared DPoP replay store cannot be reached: proofs are {Outcome} until it is back.", EventName = "DpopReplayStoreDown")]
    private static partial void LogReplayStoreDown(ILogger logger, string outcome);
}
