using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using JwtDevices.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Dpop;

/// <summary>
/// The proof keys checked and imported lately, by the encoded header of the proofs that carried them. A client's
/// proofs all share one header (<c>typ</c>, <c>alg</c> and its public <c>jwk</c>), so the second proof of a key skips
/// reading that header, checking the key, its RFC 7638 thumbprint and its import (an OpenSSL key object, which costs
/// more than a verification): what the same text passed once, it passes again. The entries live in a bounded
/// <see cref="GenerationalCache{TValue}"/>; only a header whose key has signed a proof is held.
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

    private readonly GenerationalCache<DpopProofKey> _keys = new(capacity);

    /// <summary>The keys held now; for tests.</summary>
    internal int Count => _keys.Count;

    /// <summary>The key of a header that passed its checks before.</summary>
    /// <param name="encodedHeader">The proof's first part, as it came.</param>
    /// <param name="key">The key that header carried.</param>
    public bool TryGet(string encodedHeader, out DpopProofKey key) => _keys.TryGet(encodedHeader, out key);

    /// <summary>Holds the key of a header that passed its checks and signed a proof; returns the one held (another thread's, when two raced).</summary>
    public DpopProofKey AddOrGet(string encodedHeader, DpopProofKey key) => _keys.AddOrGet(encodedHeader, key);

    /// <summary>The imported form of a public EC or RSA key, as <see cref="DpopProofValidator.ReadKey"/> lets through; <see langword="null"/> when it cannot be imported (a point off the curve, say).</summary>
    public static AsymmetricAlgorithm? Import(JsonWebKey jwk)
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
}

/// <summary>A proof key that passed its checks: its RFC 7638 thumbprint, its imported form, and the <c>alg</c> its header names.</summary>
internal sealed record DpopProofKey(string Thumbprint, AsymmetricAlgorithm Key, string Algorithm);
