using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests.Client;

/// <summary>
/// Checks a DPoP proof with IdentityModel's <see cref="JsonWebTokenHandler"/> (not the client's code): the signature
/// under the public key in its own header, <c>typ</c> <c>dpop+jwt</c>, ES256, a public-only P-256 <c>jwk</c>.
/// </summary>
public static class DpopProofChecker
{
    public static async Task<CheckedProof> CheckAsync(string proof)
    {
        var token = new JsonWebToken(proof);
        using var header = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedHeader));
        var jwkElement = header.RootElement.GetProperty("jwk");
        Assert.Equal(["crv", "kty", "x", "y"], jwkElement.EnumerateObject().Select(member => member.Name).Order());
        var jwk = new JsonWebKey(jwkElement.GetRawText());
        Assert.Equal(("EC", "P-256"), (jwk.Kty, jwk.Crv));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(proof, new TokenValidationParameters
        {
            IssuerSigningKey = jwk,
            ValidTypes = ["dpop+jwt"],
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var signature = Base64UrlEncoder.DecodeBytes(token.EncodedSignature);
        Assert.Equal(64, signature.Length); // r‖s, not DER
        return new CheckedProof(
            Thumbprint: Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()),
            Jti: token.GetClaim("jti").Value,
            Htm: token.GetClaim("htm").Value,
            Htu: token.GetClaim("htu").Value,
            Iat: long.Parse(token.GetClaim("iat").Value, System.Globalization.CultureInfo.InvariantCulture),
            Ath: token.TryGetClaim("ath", out var ath) ? ath.Value : null,
            Nonce: token.TryGetClaim("nonce", out var nonce) ? nonce.Value : null);
    }

    /// <summary>The <c>ath</c> of an access token: base64url of SHA-256 of its ASCII.</summary>
    public static string Ath(string accessToken) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
}

public sealed record CheckedProof(string Thumbprint, string Jti, string Htm, string Htu, long Iat, string? Ath, string? Nonce);
