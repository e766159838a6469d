using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using JwtDevices.Dpop;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Dpop;

/// <summary>The cache of imported proof keys, and the signature check by hand that uses it, for every allowed kind of key.</summary>
public sealed class DpopProofKeysTests
{
    private const string Url = "https://api.example.com/me";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    [Fact]
    public void SecondProof_ByTheSameKey_IsCheckedWithTheKeyImportedForTheFirst()
    {
        var validator = Validator();
        using var client = new DpopKey();
        var firstProof = client.Proof("GET", Url, Now);

        var first = validator.Validate(firstProof, "GET", Url, null);
        Assert.True(validator.Keys.TryGet(HeaderOf(firstProof), out var imported));
        var secondProof = client.Proof("GET", Url, Now);
        var second = validator.Validate(secondProof, "GET", Url, null);

        Assert.Equal(HeaderOf(firstProof), HeaderOf(secondProof));
        Assert.Equal((DpopFailure.None, DpopFailure.None), (first.Failure, second.Failure));
        Assert.Equal((client.Thumbprint, client.Thumbprint), (first.Thumbprint, second.Thumbprint));
        Assert.Equal(client.Thumbprint, imported.Thumbprint);
        Assert.Equal(1, validator.Keys.Count);
        Assert.True(validator.Keys.TryGet(HeaderOf(secondProof), out var used));
        Assert.Same(imported, used);
    }

    [Fact]
    public void HeaderOfAForgedProof_IsNotHeld_AndAHeldHeaderStillNeedsEachProofsSignature()
    {
        var validator = Validator();
        using var holder = new DpopKey();
        var genuine = holder.Proof("GET", Url, Now);
        var unsigned = genuine[..(genuine.LastIndexOf('.') + 1)] + Base64Url.EncodeToString(new byte[64]);

        Assert.Equal(DpopFailure.Signature, validator.Validate(unsigned, "GET", Url, null).Failure);
        Assert.Equal(0, validator.Keys.Count);
        Assert.Equal(DpopFailure.None, validator.Validate(genuine, "GET", Url, null).Failure);
        Assert.Equal(DpopFailure.Signature, validator.Validate(unsigned, "GET", Url, null).Failure);
        Assert.Equal(1, validator.Keys.Count);
    }

    [Fact]
    public void Proof_CarryingACachedKey_ButSignedByAnother_IsRefused()
    {
        var validator = Validator();
        using var holder = new DpopKey();
        using var thief = new DpopKey();
        Assert.Equal(DpopFailure.None, validator.Validate(holder.Proof("GET", Url, Now), "GET", Url, null).Failure);

        // The holder's public key in the header, the thief's signature: the cached key must not vouch for it.
        var forged = thief.Proof("GET", Url, Now, change: (header, _) => header["jwk"] = holder.PublicJwk);

        Assert.Equal(DpopFailure.Signature, validator.Validate(forged, "GET", Url, null).Failure);
        Assert.Equal(DpopFailure.None, validator.Validate(thief.Proof("GET", Url, Now), "GET", Url, null).Failure);
        Assert.Equal(2, validator.Keys.Count);
    }

    [Fact]
    public void Cache_HoldsNoMoreKeysThanItsCapacity_AndKeepsTheOneInUse()
    {
        var keys = new DpopProofKeys(8);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        keys.AddOrGet("busy", new DpopProofKey("busy's thumbprint", key, "ES256"));

        for (var i = 0; i < 100; i++)
        {
            keys.AddOrGet($"other {i}", new DpopProofKey($"thumbprint {i}", key, "ES256"));
            Assert.True(keys.TryGet("busy", out var busy));
            Assert.Equal("busy's thumbprint", busy.Thumbprint);
            Assert.InRange(keys.Count, 1, 8);
        }
        Assert.False(keys.TryGet("other 0", out _));
    }

    [Fact]
    public void CachedKey_VerifiesFromManyThreadsAtOnce()
    {
        var validator = Validator();
        using var client = new DpopKey();
        var proofs = Enumerable.Range(0, 400).Select(_ => client.Proof("GET", Url, Now)).ToArray();
        var tampered = proofs.Select(proof => proof[..^4] + (proof[^4] == 'A' ? "B" : "A") + proof[^3..]).ToArray();

        var outcomes = new DpopFailure[proofs.Length * 2];
        Parallel.For(0, outcomes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            outcomes[i] = validator.Validate(i % 2 == 0 ? proofs[i / 2] : tampered[i / 2], "GET", Url, null).Failure);

        Assert.All(outcomes.Where((_, i) => i % 2 == 0), failure => Assert.Equal(DpopFailure.None, failure));
        Assert.All(outcomes.Where((_, i) => i % 2 == 1), failure => Assert.Equal(DpopFailure.Signature, failure));
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("ES384")]
    [InlineData("ES512")]
    [InlineData("RS256")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("PS384")]
    public void Proof_OfEveryAllowedAlgorithm_IsVerified_AndRefusedUnderAnotherPaddingOrHash(string algorithm)
    {
        var validator = Validator();
        using var key = KeyFor(algorithm);

        var good = Sign(key, algorithm, algorithm);
        var mislabelled = Sign(key, algorithm, algorithm switch
        {
            "RS256" => "PS256",
            "PS256" => "RS256",
            _ => algorithm[..2] + (algorithm[2..] == "512" ? "384" : "512"),
        });

        Assert.Equal(DpopFailure.None, validator.Validate(good, "GET", Url, null).Failure);
        Assert.Equal(DpopFailure.Signature, validator.Validate(mislabelled, "GET", Url, null).Failure);
    }

    [Fact]
    public void Proof_WithAPointOffTheCurve_IsRefusedForItsKey()
    {
        var validator = Validator();
        using var client = new DpopKey();
        var jwk = client.PublicJwk;
        jwk["y"] = Base64Url.EncodeToString(new byte[32]);
        var proof = client.Proof("GET", Url, Now, change: (header, _) => header["jwk"] = jwk);

        Assert.Equal(DpopFailure.Key, validator.Validate(proof, "GET", Url, null).Failure);
    }

    private static AsymmetricAlgorithm KeyFor(string algorithm) => algorithm switch
    {
        "ES256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        "ES384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        "ES512" => ECDsa.Create(ECCurve.NamedCurves.nistP521),
        _ => RSA.Create(2048),
    };

    // A proof labelled `alg` whose signature is made under `signedAs` (the same algorithm, or another to forge).
    private static string Sign(AsymmetricAlgorithm key, string alg, string signedAs)
    {
        JsonObject jwk;
        if (key is ECDsa ecdsa)
        {
            var point = ecdsa.ExportParameters(false).Q;
            jwk = new JsonObject { ["kty"] = "EC", ["crv"] = $"P-{ecdsa.KeySize}", ["x"] = Base64Url.EncodeToString(point.X), ["y"] = Base64Url.EncodeToString(point.Y) };
        }
        else
        {
            var parameters = ((RSA)key).ExportParameters(false);
            jwk = new JsonObject { ["kty"] = "RSA", ["e"] = Base64Url.EncodeToString(parameters.Exponent), ["n"] = Base64Url.EncodeToString(parameters.Modulus) };
        }
        var header = new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = alg, ["jwk"] = jwk };
        var payload = new JsonObject { ["jti"] = Guid.NewGuid().ToString("N"), ["htm"] = "GET", ["htu"] = Url, ["iat"] = Now.ToUnixTimeSeconds() };
        var input = Encoding.ASCII.GetBytes($"{HandMadeJwt.Encode(header)}.{HandMadeJwt.Encode(payload)}");
        var hash = new HashAlgorithmName("SHA" + signedAs[2..]);
        var signature = key is ECDsa ec
            ? ec.SignData(input, hash)
            : ((RSA)key).SignData(input, hash, signedAs.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        return $"{Encoding.ASCII.GetString(input)}.{Base64Url.EncodeToString(signature)}";
    }

    private static string HeaderOf(string proof) => proof[..proof.IndexOf('.')];

    private static DpopProofValidator Validator() => DpopProofValidatorTests.Validator(Now);
}
