using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using JwtDevices.Tokens;

namespace JwtDevices.Tests.Unit;

/// <summary>Permanent tokens: their shape, their randomness and the hash that stands for them at rest.</summary>
public sealed class PermanentTokensTests
{
    [Fact]
    public void Create_Gives43Base64UrlCharacters()
    {
        var token = PermanentTokens.Create();

        Assert.Equal(43, token.Length);
        Assert.All(token, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not base64url."));
    }

    [Fact]
    public void Create_DecodesTo32Bytes()
    {
        var token = PermanentTokens.Create();

        var bytes = Base64Url.DecodeFromChars(token);

        Assert.Equal(32, bytes.Length);
    }

    [Fact]
    public void Create_GivesADifferentTokenEachTime()
    {
        var first = PermanentTokens.Create();
        var second = PermanentTokens.Create();

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void CreateSalt_Gives32RandomBytes()
    {
        var first = PermanentTokens.CreateSalt();
        var second = PermanentTokens.CreateSalt();

        Assert.Equal(32, first.Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void TryHash_IsSha256OfTheUtf8Token()
    {
        var token = PermanentTokens.Create();

        var hash = PermanentTokens.TryHash(token);

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(token)), hash);
    }

    [Fact]
    public void TryHash_HashesNonAsciiInputAsUtf8()
    {
        var hash = PermanentTokens.TryHash("jeton-é-😀");

        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes("jeton-é-😀")), hash);
    }

    [Fact]
    public void TryHash_GivesNull_ForEmptyInput()
    {
        Assert.Null(PermanentTokens.TryHash(string.Empty));
    }

    [Theory]
    [InlineData(257)]
    [InlineData(8 * 1024)]
    public void TryHash_GivesNull_ForOverLongInput(int length)
    {
        Assert.Null(PermanentTokens.TryHash(new string('a', length)));
    }

    [Fact]
    public void TryHash_HashesInputUpTo256Characters()
    {
        Assert.NotNull(PermanentTokens.TryHash(new string('a', 256)));
    }
}
