using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using JwtDevices.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Dpop;

/// <summary>
/// The proof keys imported lately, by their RFC 7638 thumbprint, and the check of a proof's signature with one.
/// A bound device presents the same key on every request, and importing a key (an OpenSSL key object) costs
/// more than the verification itself, so an imported key is kept in a bounded <see cref="GenerationalCache{TValue}"/>.
/// The thumbprint is a SHA-256 of the key's required members, which are the whole public key: no two keys share it.
/// </summary>
/// <remarks>
/// .NET's <see cref="ECDsa"/> and <see cref="RSA"/> verify concurrently on one object (each call takes its own
/// OpenSSL context), so one cached key serves every thread. An evicted key is not disposed, since another thread
/// may be verifying with it at that moment: the garbage collector finalizes it once no one holds it.
/// </remarks>
internal sealed class DpopProofKeys(int capacity)
{
    /// <summary>The keys held per node: far more than the devices active at once on most servers, a few MB at most.</summary>
    internal const int DefaultCapacity = 10_000;

    private readonly GenerationalCache<AsymmetricAlgorithm> _keys = new(capacity);

    /// <summary>The keys held now; for tests.</summary>
    internal int Count => _keys.Count;

    /// <summary>Whether the key of <paramref name="thumbprint"/> is held, and which; for tests.</summary>
    internal bool TryHeld(string thumbprint, out AsymmetricAlgorithm key) => _keys.TryGet(thumbprint, out key);

    /// <summary>The imported form of <paramref name="jwk"/>, whose thumbprint is <paramref name="thumbprint"/>; <see langword="null"/> when it cannot be imported (a point off the curve, say).</summary>
    /// <param name="thumbprint">The RFC 7638 thumbprint of <paramref name="jwk"/>, base64url-encoded.</param>
    /// <param name="jwk">A public EC or RSA key, as <see cref="DpopProofValidator.ReadKey"/> lets through.</param>
    public AsymmetricAlgorithm? Get(string thumbprint, JsonWebKey jwk)
    {
        if (_keys.TryGet(thumbprint, out var key))
        {
            return key;
        }
        // Two threads may import the same new key together: one copy is kept, the other left to the collector.
        return Import(jwk) is { } imported ? _keys.AddOrGet(thumbprint, imported) : null;
    }

    /// <summary>
    /// Whether <paramref name="proof"/>'s signature, under <paramref name="algorithm"/> (an allowed alg that fits the key),
    /// is <paramref name="key"/>'s over the ASCII of <c>header.payload</c> (RFC 7515 §5.2).
    /// </summary>
    public static bool Verify(string proof, string algorithm, AsymmetricAlgorithm key)
    {
        var dot = proof.LastIndexOf('.');
        var buffer = ArrayPool<byte>.Shared.Rent(proof.Length);
        try
        {
            var bytes = buffer.AsSpan(0, Encoding.ASCII.GetBytes(proof.AsSpan(), buffer.AsSpan()));
            var signature = bytes[(dot + 1)..];
            signature = signature[..Base64Url.DecodeFromUtf8InPlace(signature)];
            var data = bytes[..dot];
            var hash = HashOf(algorithm);
            return key switch
            {
                ECDsa ecdsa => ecdsa.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                RSA rsa => rsa.VerifyData(data, signature, hash, algorithm.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1),
                _ => false,
            };
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static HashAlgorithmName HashOf(string algorithm) => algorithm[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        "512" => HashAlgorithmName.SHA512,
        _ => throw new CryptographicException("No hash for this algorithm."),
    };

    private static AsymmetricAlgorithm? Import(JsonWebKey jwk)
    {
        try
        {
            if (jwk.Kty == JsonWebAlgorithmsKeyTypes.RSA)
            {
                return RSA.Create(new RSAParameters { Modulus = Base64UrlEncoder.DecodeBytes(jwk.N), Exponent = Base64UrlEncoder.DecodeBytes(jwk.E) });
            }
            var curve = jwk.Crv switch
            {
                JsonWebKeyECTypes.P256 => ECCurve.NamedCurves.nistP256,
                JsonWebKeyECTypes.P384 => ECCurve.NamedCurves.nistP384,
                _ => ECCurve.NamedCurves.nistP521,
            };
            return ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = Base64UrlEncoder.DecodeBytes(jwk.X), Y = Base64UrlEncoder.DecodeBytes(jwk.Y) } });
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or CryptographicException)
        {
            return null;
        }
    }
}
