using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using JwtDevices.Dpop;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests.Dpop;

/// <summary>The proof check alone, against RFC 9449's own examples and RFC 7638's thumbprint form.</summary>
public sealed class DpopProofValidatorTests
{
    // RFC 9449 §4.1 (Figure 3, the proof of a token request), its key's thumbprint (§6.1), and §7.1's resource
    // request proof (Figure 13) with the access token whose hash it carries.
    private const string RfcTokenRequestProof =
        "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
        + ".eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ"
        + ".2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";

    private const string RfcThumbprint = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

    private const string RfcResourceProof =
        "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
        + ".eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9"
        + ".2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA";

    private const string RfcAccessToken = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";

    [Fact]
    public void RfcTokenRequestProof_Validates_WithAFixedClock()
    {
        var validator = Validator(DateTimeOffset.FromUnixTimeSeconds(1562262616 + 10));

        var check = validator.Validate(RfcTokenRequestProof, "POST", DpopTargetUri.Normalize("https://server.example.com/token"), null);

        Assert.Equal(DpopFailure.None, check.Failure);
        Assert.Equal(RfcThumbprint, check.Thumbprint);
        Assert.Equal("-BwC3ESc6acc2lTc", check.Jti);
    }

    [Fact]
    public void RfcResourceProof_Validates_WithItsAccessToken_AndNotWithAnother()
    {
        var validator = Validator(DateTimeOffset.FromUnixTimeSeconds(1562262618));
        var target = DpopTargetUri.Normalize("https://resource.example.org/protectedresource");

        var check = validator.Validate(RfcResourceProof, "GET", target, DpopProofValidator.AccessTokenHash(RfcAccessToken));
        var other = validator.Validate(RfcResourceProof, "GET", target, DpopProofValidator.AccessTokenHash(RfcAccessToken + "x"));

        Assert.Equal(DpopFailure.None, check.Failure);
        Assert.Equal(RfcThumbprint, check.Thumbprint);
        Assert.Equal(DpopFailure.AccessTokenHash, other.Failure);
    }

    [Theory]
    [InlineData("https://api.example.com/me", "https://api.example.com/me", true)]
    [InlineData("HTTPS://API.example.com:443/me?x=1#f", "https://api.example.com/me", true)]
    [InlineData("https://api.example.com/me", "https://API.EXAMPLE.COM:443/me", true)]
    [InlineData("https://api.example.com:8443/me", "https://api.example.com/me", false)]
    [InlineData("https://api.example.com/me/", "https://api.example.com/me", false)]
    [InlineData("http://api.example.com/me", "https://api.example.com/me", false)]
    [InlineData("https://api.example.com/me", null, false)]
    public void Htu_MatchesTheRequestsTarget_AsTheSameTextOrTheSameNormalForm(string htu, string? target, bool matches) =>
        Assert.Equal(matches, DpopTargetUri.Matches(htu, target));

    [Theory]
    [InlineData(64, "None")]
    [InlineData(66, "IssuedAt")]
    [InlineData(-4, "None")]
    [InlineData(-6, "IssuedAt")]
    public void RfcProof_IsRefused_OutsideItsLifetimeAndSkew(int secondsAfterIssue, string expected)
    {
        // The defaults: a 60-second lifetime and 5 seconds of skew either way.
        var validator = Validator(DateTimeOffset.FromUnixTimeSeconds(1562262616 + secondsAfterIssue));

        var check = validator.Validate(RfcTokenRequestProof, "POST", DpopTargetUri.Normalize("https://server.example.com/token"), null);

        Assert.Equal(expected, check.Failure.ToString());
    }

    [Theory]
    [InlineData("GET", "https://server.example.com/token", "Method")]
    [InlineData("post", "https://server.example.com/token", "Method")]
    [InlineData("POST", "https://server.example.com/token/", "TargetUri")]
    [InlineData("POST", "https://server.example.org/token", "TargetUri")]
    [InlineData("POST", "http://server.example.com/token", "TargetUri")]
    [InlineData("POST", "HTTPS://SERVER.example.COM:443/token?x=1#f", "None")]
    public void RfcProof_IsComparedWithTheRequest_AsRfc9449Section43Says(string method, string requestUri, string expected)
    {
        var validator = Validator(DateTimeOffset.FromUnixTimeSeconds(1562262616));

        var check = validator.Validate(RfcTokenRequestProof, method, DpopTargetUri.Normalize(requestUri), null);

        Assert.Equal(expected, check.Failure.ToString());
    }

    [Fact]
    public void Thumbprint_OfAnRsaKey_IsRfc7638sCanonicalForm()
    {
        using var rsa = RSA.Create(2048);
        var parameters = rsa.ExportParameters(false);
        var (e, n) = (Base64Url.EncodeToString(parameters.Exponent), Base64Url.EncodeToString(parameters.Modulus));
        var key = new JsonWebKey($$"""{"n":"{{n}}","kty":"RSA","e":"{{e}}","alg":"RS256"}""");

        var expected = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"e":"{{e}}","kty":"RSA","n":"{{n}}"}""")));

        Assert.Equal(expected, Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()));
    }

    [Fact]
    public void Thumbprint_OfAnEcKey_IsRfc7638sCanonicalForm()
    {
        using var client = new Infrastructure.DpopKey();
        var key = new JsonWebKey(client.PublicJwk.ToJsonString());

        Assert.Equal(client.Thumbprint, Base64UrlEncoder.Encode(key.ComputeJwkThumbprint()));
    }

    internal static DpopProofValidator Validator(DateTimeOffset now)
    {
        var time = new FakeTimeProvider(now);
        var options = Options.Create(new JwtDevicesDpopOptions());
        var nonces = new DpopNonces(Options.Create(new JwtDevicesOptions { SigningKey = Infrastructure.ServerFactory.SigningKey }), options, time);
        return new DpopProofValidator(options, nonces, time);
    }
}
