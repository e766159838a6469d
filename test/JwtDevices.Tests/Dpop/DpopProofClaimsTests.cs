using JwtDevices.Dpop;
using JwtDevices.Tests.BadInput;

namespace JwtDevices.Tests.Dpop;

/// <summary>Reading a proof's payload: RFC 9449's claims of the right JSON type, everything else skipped, anything but one JSON object refused.</summary>
public sealed class DpopProofClaimsTests
{
    [Fact]
    public void TheClaimsOfAProof_AreRead_AndOthersSkipped()
    {
        var payload = Encode("""{"jti":"j1","htm":"GET","extra":{"nested":[1,2,{"htu":"no"}]},"htu":"https://a.example/me","iat":1562262618.5,"ath":"h","nonce":"n"}""");

        Assert.True(DpopProofClaims.TryRead(payload, out var claims));

        Assert.Equal(new DpopProofClaims("j1", "GET", "https://a.example/me", 1562262618.5, "h", "n"), claims);
    }

    [Fact]
    public void AClaimNameWrittenWithEscapes_IsTheSameClaim()
    {
        Assert.True(DpopProofClaims.TryRead(Encode("""{"\u0068tu":"https://a.example/me"}"""), out var claims));

        Assert.Equal("https://a.example/me", claims.Htu);
    }

    [Theory]
    [InlineData("""{"jti":7,"iat":"1562262618"}""")]
    [InlineData("""{"jti":["a"],"iat":{"n":1}}""")]
    [InlineData("""{"jti":null,"iat":null}""")]
    public void ClaimsOfAnotherType_AreLeftUnset(string json)
    {
        Assert.True(DpopProofClaims.TryRead(Encode(json), out var claims));

        Assert.Null(claims.Jti);
        Assert.Null(claims.Iat);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("""{"jti":"a"} {}""")]
    [InlineData("""{"jti":"a\""")]
    [InlineData("""{"jti":"a",}""")]
    [InlineData("")]
    public void APayloadThatIsNotOneJsonObject_IsRefused(string json) =>
        Assert.False(DpopProofClaims.TryRead(Encode(json), out _));

    [Theory]
    [InlineData("not base64url!")]
    [InlineData("eyJqdGkiOiJhIn0.")]
    public void APayloadThatIsNotBase64Url_IsRefused(string encoded) =>
        Assert.False(DpopProofClaims.TryRead(encoded, out _));

    [Fact]
    public void ALongPayload_IsReadToo()
    {
        var json = $$"""{"pad":"{{new string('x', 5_000)}}","jti":"j"}""";

        Assert.True(DpopProofClaims.TryRead(Encode(json), out var claims));

        Assert.Equal("j", claims.Jti);
    }

    private static string Encode(string json) => HandMadeJwt.EncodeText(json);
}
