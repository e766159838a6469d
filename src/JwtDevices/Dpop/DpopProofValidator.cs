using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JwtDevices.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Dpop;

/// <summary>
/// Checks one DPoP proof as RFC 9449 §4.3 says, with no I/O: its form, <c>typ</c>, an allowed asymmetric
/// <c>alg</c>, a public <c>jwk</c> that fits it, the signature, <c>htm</c>, <c>htu</c>, <c>iat</c>, <c>ath</c>
/// and, when required, the server's <c>nonce</c>. Replay is the caller's next step.
/// </summary>
/// <remarks>
/// Every bound request pays for this, so it costs one signature verification and little else. IdentityModel reads
/// the header of a key not seen lately (<c>typ</c>, <c>alg</c>, <c>jwk</c>); a client's later proofs carry the same
/// header text and find its checked, imported key in <see cref="DpopProofKeys"/>. The signature is checked by hand
/// with that key: <see cref="JsonWebTokenHandler.ValidateTokenAsync(SecurityToken, TokenValidationParameters)"/> would
/// import the key and build a signature provider on every call. The payload's few claims are read in one pass
/// (<see cref="DpopProofClaims"/>).
/// </remarks>
internal sealed class DpopProofValidator
{
    /// <summary>A proof with an RSA-4096 key is some 2,000 characters; anything much longer is not a proof.</summary>
    internal const int MaximumProofLength = 8_192;

    /// <summary>The longest <c>jti</c> taken; clients send some 20 to 40 characters.</summary>
    internal const int MaximumJtiLength = 256;

    private const int MinimumRsaBits = 2048;

    // Proof keys are seen once or a few times each: IdentityModel's shared cache would only churn.
    internal static readonly CryptoProviderFactory s_providers = new() { CacheSignatureProviders = false };

    private readonly JwtDevicesDpopOptions _options;
    private readonly HashSet<string> _algorithms;
    private readonly DpopNonces _nonces;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false, MaximumTokenSizeInBytes = MaximumProofLength };
    private readonly DpopProofKeys _keys = new(DpopProofKeys.DefaultCapacity);

    public DpopProofValidator(IOptions<JwtDevicesDpopOptions> options, DpopNonces nonces, TimeProvider time)
    {
        _options = options.Value;
        _algorithms = new HashSet<string>(_options.AlgorithmsInForce, StringComparer.Ordinal);
        _nonces = nonces;
        _time = time;
    }

    /// <summary>The proof keys imported lately; for tests.</summary>
    internal DpopProofKeys Keys => _keys;

    /// <summary>Checks a proof for a request to <paramref name="targetUri"/> (compared as <see cref="DpopTargetUri.Matches"/> says).</summary>
    /// <param name="proof">The <c>DPoP</c> header.</param>
    /// <param name="method">The request's method.</param>
    /// <param name="targetUri">The request's URI, or <see langword="null"/> when it has none (no proof then fits).</param>
    /// <param name="accessTokenHash">The <see cref="AccessTokenHash"/> of the access token the request presents, which the proof must carry; none at the token endpoints.</param>
    public DpopProofCheck Validate(string proof, string method, string? targetUri, string? accessTokenHash)
    {
        if (proof.Length > MaximumProofLength || !AccessTokenService.IsCompactJws(proof))
        {
            return DpopProofCheck.Failed(DpopFailure.Malformed);
        }
        var headerEnd = proof.IndexOf('.');
        var payloadEnd = proof.LastIndexOf('.');
        var encodedHeader = proof[..headerEnd];
        var held = _keys.TryGet(encodedHeader, out var key);
        if (!held)
        {
            var (checkedKey, failure) = CheckHeader(proof);
            if (checkedKey is null)
            {
                return DpopProofCheck.Failed(failure);
            }
            key = checkedKey;
        }
        if (!DpopProofClaims.TryRead(proof.AsSpan(headerEnd + 1, payloadEnd - headerEnd - 1), out var claims))
        {
            return DpopProofCheck.Failed(DpopFailure.Malformed);
        }
        if (!DpopProofKeys.Verify(proof, key.Algorithm, key.Key))
        {
            return DpopProofCheck.Failed(DpopFailure.Signature);
        }
        if (!held)
        {
            // Held once a signature showed the key in use, so that forged headers take no room.
            key = _keys.AddOrGet(encodedHeader, key);
        }

        if (string.IsNullOrEmpty(claims.Jti) || claims.Jti.Length > MaximumJtiLength || claims.Htm is null || claims.Htu is null
            || !TryReadIssuedAt(claims.Iat, out var issuedAt))
        {
            return DpopProofCheck.Failed(DpopFailure.Claims);
        }
        if (!string.Equals(claims.Htm, method, StringComparison.Ordinal))
        {
            return DpopProofCheck.Failed(DpopFailure.Method);
        }
        if (!DpopTargetUri.Matches(claims.Htu, targetUri))
        {
            return DpopProofCheck.Failed(DpopFailure.TargetUri);
        }
        var now = _time.GetUtcNow();
        if (issuedAt > now + _options.ProofClockSkew || issuedAt < now - _options.ProofLifetime - _options.ProofClockSkew)
        {
            return DpopProofCheck.Failed(DpopFailure.IssuedAt);
        }
        if (accessTokenHash is not null && !string.Equals(claims.Ath, accessTokenHash, StringComparison.Ordinal))
        {
            return DpopProofCheck.Failed(DpopFailure.AccessTokenHash);
        }
        if (_options.RequireNonce && !(claims.Nonce is { } nonce && _nonces.IsValid(nonce)))
        {
            return DpopProofCheck.Failed(DpopFailure.Nonce);
        }
        return new DpopProofCheck(DpopFailure.None, key.Thumbprint, claims.Jti);
    }

    // The header of a key not seen lately: typ, an allowed alg, and a public jwk that fits it and imports.
    private (DpopProofKey? Key, DpopFailure Failure) CheckHeader(string proof)
    {
        var jwt = TryRead(proof);
        if (jwt is null)
        {
            return (null, DpopFailure.Malformed);
        }
        if (!string.Equals(jwt.Typ, "dpop+jwt", StringComparison.OrdinalIgnoreCase))
        {
            return (null, DpopFailure.WrongType);
        }
        if (!_algorithms.Contains(jwt.Alg))
        {
            return (null, DpopFailure.Algorithm);
        }
        var (jwk, keyFailure) = ReadKey(jwt);
        if (jwk is null)
        {
            return (null, keyFailure);
        }
        return DpopProofKeys.Import(jwk) is { } imported
            ? (new DpopProofKey(Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()), imported, jwt.Alg), DpopFailure.None)
            : (null, DpopFailure.Key);
    }

    /// <summary>Checks a proof's signature by <paramref name="key"/> under <paramref name="algorithm"/> alone: a proof has no issuer, audience or expiry.</summary>
    internal static TokenValidationParameters SignatureOnly(JsonWebKey key, string algorithm) => new()
    {
        IssuerSigningKey = key,
        ValidAlgorithms = [algorithm],
        CryptoProviderFactory = s_providers,
        RequireSignedTokens = true,
        RequireExpirationTime = false,
        ValidateLifetime = false,
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateIssuerSigningKey = false,
    };

    /// <summary>The <c>ath</c> of an access token: base64url of the SHA-256 of its ASCII text.</summary>
    internal static string AccessTokenHash(string accessToken)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var length = Encoding.ASCII.GetMaxByteCount(accessToken.Length);
        var bytes = length <= 4096 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.ASCII.GetBytes(accessToken, bytes);
        SHA256.HashData(bytes[..written], hash);
        return Base64Url.EncodeToString(hash);
    }

    private JsonWebToken? TryRead(string proof)
    {
        try
        {
            var jwt = _handler.ReadJsonWebToken(proof);
            return jwt.IsSigned && !jwt.IsEncrypted ? jwt : null;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or JsonException or SecurityTokenException)
        {
            return null;
        }
    }

    // The header's jwk, when it is a public key of the type and size the alg needs; DBSC's proofs carry theirs alike.
    internal static (JsonWebKey? Key, DpopFailure Failure) ReadKey(JsonWebToken jwt)
    {
        JsonWebKey key;
        try
        {
            if (!jwt.TryGetHeaderValue<JsonElement>("jwk", out var element) || element.ValueKind != JsonValueKind.Object)
            {
                return (null, DpopFailure.Key);
            }
            key = new JsonWebKey(element.GetRawText()) { CryptoProviderFactory = s_providers };
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or JsonException or InvalidOperationException)
        {
            return (null, DpopFailure.Key);
        }
        if (key.D is not null || key.P is not null || key.Q is not null || key.DP is not null || key.DQ is not null || key.QI is not null || key.K is not null)
        {
            return (null, DpopFailure.PrivateKey);
        }
        var fits = jwt.Alg[..2] switch
        {
            "ES" => key.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve && key.X is not null && key.Y is not null && key.Crv == CurveOf(jwt.Alg),
            "RS" or "PS" => key.Kty == JsonWebAlgorithmsKeyTypes.RSA && key.E is not null && key.N is not null && RsaBits(key.N) >= MinimumRsaBits,
            _ => false,
        };
        return fits && key.CanComputeJwkThumbprint() ? (key, DpopFailure.None) : (null, DpopFailure.Key);
    }

    private static string? CurveOf(string algorithm) => algorithm switch
    {
        "ES256" => JsonWebKeyECTypes.P256,
        "ES384" => JsonWebKeyECTypes.P384,
        "ES512" => JsonWebKeyECTypes.P521,
        _ => null,
    };

    private static int RsaBits(string modulus)
    {
        try
        {
            var bytes = Base64UrlEncoder.DecodeBytes(modulus);
            var leadingZeros = bytes.TakeWhile(b => b == 0).Count();
            return (bytes.Length - leadingZeros) * 8;
        }
        catch (FormatException)
        {
            return 0;
        }
    }

    // A NumericDate: seconds, possibly with a fraction.
    private static bool TryReadIssuedAt(double? seconds, out DateTimeOffset issuedAt)
    {
        issuedAt = default;
        if (seconds is not { } value || double.IsNaN(value) || Math.Abs(value) > 253_402_300_799d)
        {
            return false;
        }
        issuedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(value * 1000));
        return true;
    }
}

/// <summary>The outcome of <see cref="DpopProofValidator.Validate"/>: the key's RFC 7638 thumbprint and the proof's jti, or why not.</summary>
internal readonly record struct DpopProofCheck(DpopFailure Failure, string? Thumbprint, string? Jti)
{
    public static DpopProofCheck Failed(DpopFailure failure) => new(failure, null, null);
}
