using System.Text;
using System.Text.Json;
using JwtDevices.Dpop;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Server.Pages.Dbsc;

/// <summary>
/// Checks a browser's <c>Secure-Session-Response</c>: a JWT of <c>typ</c> <c>dbsc+jwt</c>, signed ES256 (raw r‖s) or
/// RS256, whose <c>jti</c> is a challenge of <see cref="DbscChallenges"/>. At registration the public key comes
/// in the header's <c>jwk</c> (checked as DPoP's are: public, of the type and size the alg needs); at refresh
/// the proof carries none and is checked with the key the device was bound to.
/// </summary>
internal sealed class DbscProofs(DbscChallenges challenges)
{
    public const string ResponseHeader = "Secure-Session-Response";

    private static readonly HashSet<string> s_algorithms = new(StringComparer.Ordinal) { "ES256", "RS256" };

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = DpopProofValidator.MaximumProofLength };

    /// <summary>The key and device of a registration proof, or why it is refused.</summary>
    public async ValueTask<(DbscRegistration? Registration, string? Failure)> CheckRegistrationAsync(string? proof, CancellationToken cancellationToken)
    {
        var (jwt, failure) = Read(proof);
        if (jwt is null)
        {
            return (null, failure);
        }
        var (key, keyFailure) = DpopProofValidator.ReadKey(jwt);
        if (key is null)
        {
            return (null, keyFailure == DpopFailure.PrivateKey ? DbscFailures.PrivateKey : DbscFailures.Key);
        }
        if (!await SignedByAsync(jwt, key))
        {
            return (null, DbscFailures.Signature);
        }
        var (deviceId, challengeFailure) = await challenges.TakeAsync(Jti(jwt), cancellationToken);
        if (deviceId is null)
        {
            return (null, challengeFailure);
        }
        return (new DbscRegistration(deviceId.Value, Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()), PublicJwk(key)), null);
    }

    /// <summary>Null when the refresh proof is signed by <paramref name="publicJwk"/> over a fresh challenge of this device; else why not.</summary>
    public async ValueTask<string?> CheckRefreshAsync(string? proof, string publicJwk, long deviceId, CancellationToken cancellationToken)
    {
        var (jwt, failure) = Read(proof);
        if (jwt is null)
        {
            return failure;
        }
        var key = new JsonWebKey(publicJwk) { CryptoProviderFactory = DpopProofValidator.s_providers };
        if (!await SignedByAsync(jwt, key))
        {
            return DbscFailures.Signature;
        }
        // Taken only after the signature holds, so that nobody without the key can use up the browser's challenge.
        var (challengeDevice, challengeFailure) = await challenges.TakeAsync(Jti(jwt), cancellationToken);
        return challengeDevice is null ? challengeFailure
            : challengeDevice != deviceId ? DbscFailures.OtherDevice
            : null;
    }

    private (JsonWebToken? Jwt, string? Failure) Read(string? proof)
    {
        if (string.IsNullOrEmpty(proof))
        {
            return (null, DbscFailures.Missing);
        }
        JsonWebToken jwt;
        try
        {
            if (proof.Length > DpopProofValidator.MaximumProofLength || !_handler.CanReadToken(proof))
            {
                return (null, DbscFailures.Malformed);
            }
            jwt = _handler.ReadJsonWebToken(proof);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or JsonException or SecurityTokenException)
        {
            return (null, DbscFailures.Malformed);
        }
        if (!string.Equals(jwt.Typ, "dbsc+jwt", StringComparison.OrdinalIgnoreCase))
        {
            return (null, DbscFailures.WrongType);
        }
        // "none" and the HMAC algorithms prove no key; only the two Chrome signs with are taken.
        return jwt.IsSigned && s_algorithms.Contains(jwt.Alg) ? (jwt, null) : (null, DbscFailures.Algorithm);
    }

    private async ValueTask<bool> SignedByAsync(JsonWebToken jwt, JsonWebKey key)
    {
        var result = await _handler.ValidateTokenAsync(jwt, DpopProofValidator.SignatureOnly(key, jwt.Alg));
        return result.IsValid;
    }

    private static string? Jti(JsonWebToken jwt) => jwt.TryGetPayloadValue<string>("jti", out var jti) ? jti : null;

    // Only the public members, in RFC 7638's order: what is stored is what the thumbprint covers.
    private static string PublicJwk(JsonWebKey key)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (key.Kty == JsonWebAlgorithmsKeyTypes.EllipticCurve)
            {
                json.WriteString("crv", key.Crv);
                json.WriteString("kty", key.Kty);
                json.WriteString("x", key.X);
                json.WriteString("y", key.Y);
            }
            else
            {
                json.WriteString("e", key.E);
                json.WriteString("kty", key.Kty);
                json.WriteString("n", key.N);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>A checked registration: the device its challenge was made for, the key's RFC 7638 thumbprint and its public JWK.</summary>
internal sealed record DbscRegistration(long DeviceId, string Thumbprint, string PublicJwk);
