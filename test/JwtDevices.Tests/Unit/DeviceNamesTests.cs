using JwtDevices.Endpoints;
using Microsoft.AspNetCore.Http;

namespace JwtDevices.Tests.Unit;

/// <summary>How a new device is named from its request, and how long names are cut.</summary>
public sealed class DeviceNamesTests
{
    private const string Emoji = "\U0001F600"; // one character, two UTF-16 code units

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    public void Cut_KeepsValuesUpTo255Characters(int length)
    {
        var value = new string('x', length);

        Assert.Equal(value, DeviceNames.Cut(value));
    }

    [Theory]
    [InlineData(256)]
    [InlineData(10_000)]
    public void Cut_CutsLongerValuesTo255Characters(int length)
    {
        var value = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i % 26))));

        var cut = DeviceNames.Cut(value);

        Assert.Equal(value[..255], cut);
    }

    [Fact]
    public void Cut_DropsASurrogatePairThatWouldBeSplit()
    {
        // The pair sits at indexes 254 and 255: keeping 255 characters would keep only its high half.
        var value = new string('a', 254) + Emoji + "tail";

        var cut = DeviceNames.Cut(value);

        Assert.Equal(new string('a', 254), cut);
    }

    [Fact]
    public void Cut_KeepsASurrogatePairThatEndsAtTheLimit()
    {
        var value = new string('a', 253) + Emoji + "tail";

        var cut = DeviceNames.Cut(value);

        Assert.Equal(255, cut.Length);
        Assert.EndsWith(Emoji, cut, StringComparison.Ordinal);
    }

    [Fact]
    public void Cut_NeverLeavesALoneSurrogate_InAStringOfOnlyPairs()
    {
        var value = string.Concat(Enumerable.Repeat(Emoji, 300));

        var cut = DeviceNames.Cut(value);

        Assert.True(cut.Length <= 255);
        Assert.False(char.IsHighSurrogate(cut[^1]), "The cut ends with half a surrogate pair.");
        Assert.Equal(string.Concat(Enumerable.Repeat(Emoji, cut.Length / 2)), cut);
    }

    [Fact]
    public void FromRequest_WithModel_NamesAfterModel_WithUserAgentAsDetails()
    {
        var request = Request(model: "Nokia", userAgent: "agent");

        var (name, details) = DeviceNames.FromRequest(request);

        Assert.Equal("Nokia", name);
        Assert.Equal("agent", details);
    }

    [Fact]
    public void FromRequest_WithoutModel_NamesAfterUserAgent_WithEmptyDetails()
    {
        var request = Request(model: null, userAgent: "agent");

        var (name, details) = DeviceNames.FromRequest(request);

        Assert.Equal("agent", name);
        Assert.Equal(string.Empty, details);
    }

    [Fact]
    public void FromRequest_WithEmptyModel_NamesAfterUserAgent()
    {
        var request = Request(model: string.Empty, userAgent: "agent");

        var (name, details) = DeviceNames.FromRequest(request);

        Assert.Equal("agent", name);
        Assert.Equal(string.Empty, details);
    }

    [Fact]
    public void FromRequest_WithModelAndNoUserAgent_HasEmptyDetails()
    {
        var request = Request(model: "Nokia", userAgent: null);

        var (name, details) = DeviceNames.FromRequest(request);

        Assert.Equal("Nokia", name);
        Assert.Equal(string.Empty, details);
    }

    [Fact]
    public void FromRequest_WithNeitherHeader_GivesEmptyNameAndDetails()
    {
        var request = Request(model: null, userAgent: null);

        var (name, details) = DeviceNames.FromRequest(request);

        Assert.Equal(string.Empty, name);
        Assert.Equal(string.Empty, details);
    }

    [Fact]
    public void FromRequest_CutsBothModelAndUserAgent()
    {
        var request = Request(model: new string('m', 1000), userAgent: new string('u', 1000));

        var (name, details) = DeviceNames.FromRequest(request);

        Assert.Equal(new string('m', 255), name);
        Assert.Equal(new string('u', 255), details);
    }

    [Fact]
    public void FromRequest_WithoutModel_CutsUserAgentAsName()
    {
        var request = Request(model: null, userAgent: new string('u', 1000));

        var (name, details) = DeviceNames.FromRequest(request);

        Assert.Equal(new string('u', 255), name);
        Assert.Equal(string.Empty, details);
    }

    private static HttpRequest Request(string? model, string? userAgent)
    {
        var context = new DefaultHttpContext();
        if (model is not null)
        {
            context.Request.Headers["X-Device-Model"] = model;
        }
        if (userAgent is not null)
        {
            context.Request.Headers.UserAgent = userAgent;
        }
        return context.Request;
    }
}
