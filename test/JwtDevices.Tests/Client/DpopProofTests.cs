using System.Security.Cryptography;
using JwtDevices.Client;

namespace JwtDevices.Tests.Client;

/// <summary>The client's DPoP proofs, checked by IdentityModel under the key in their own header (RFC 9449 §4.2).</summary>
public sealed class DpopProofTests
{
    private static readonly DateTimeOffset s_now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AResourceProof_Verifies_AndCarriesMethodUrlWithoutQueryOrFragment_TimeTokenHashAndNonce()
    {
        using var key = DpopProof.CreateKey();

        var proof = await DpopProofChecker.CheckAsync(DpopProof.Create(
            key, HttpMethod.Patch, new Uri("https://API.example.test:8443/devices/7/?x=1#frag"), "header.payload.signature", "server-nonce", s_now));

        Assert.Equal("PATCH", proof.Htm);
        Assert.Equal("https://api.example.test:8443/devices/7/", proof.Htu);
        Assert.Equal(s_now.ToUnixTimeSeconds(), proof.Iat);
        Assert.Equal(DpopProofChecker.Ath("header.payload.signature"), proof.Ath);
        Assert.Equal("server-nonce", proof.Nonce);
        Assert.True(proof.Jti.Length >= 22);
    }

    [Fact]
    public async Task ATokenEndpointProof_HasNoAthNorNonce_AndEveryProofHasItsOwnJti()
    {
        using var key = DpopProof.CreateKey();
        var uri = new Uri("https://api.example.test/auth-token/");

        var proofs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => DpopProofChecker.CheckAsync(DpopProof.Create(key, HttpMethod.Post, uri, null, null, s_now))));

        Assert.All(proofs, proof => Assert.Equal((null, null, "POST"), (proof.Ath, proof.Nonce, proof.Htm)));
        Assert.Equal(20, proofs.Select(proof => proof.Jti).Distinct().Count());
        Assert.Single(proofs.Select(proof => proof.Thumbprint).Distinct());
    }

    [Fact]
    public async Task AProofByAnotherKey_HasAnotherThumbprint()
    {
        using var first = DpopProof.CreateKey();
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var uri = new Uri("https://api.example.test/me");

        var a = await DpopProofChecker.CheckAsync(DpopProof.Create(first, HttpMethod.Get, uri, "t", null, s_now));
        var b = await DpopProofChecker.CheckAsync(DpopProof.Create(second, HttpMethod.Get, uri, "t", null, s_now));

        Assert.NotEqual(a.Thumbprint, b.Thumbprint);
    }
}
