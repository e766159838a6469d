using System.Net;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Pages;

/// <summary>
/// The admin addresses answer a browser with the page and an API client with the JSON API, whichever
/// form of the address each uses.
/// </summary>
public sealed class AdminPageAddressTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/")]
    [InlineData("/admin/devices")]
    [InlineData("/admin/devices/")]
    [InlineData("/Admin/Devices/")]
    public async Task ABrowserOpeningAnAdminAddress_GetsThePage(string path)
    {
        using var response = await GetAsync(path, PageClient.BrowserAccept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>All devices", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Theory]
    [InlineData("/admin/devices/", null)]
    [InlineData("/admin/devices", null)]
    [InlineData("/admin/devices/", "*/*")]
    [InlineData("/admin/devices/", "application/json")]
    [InlineData("/admin/devices", "application/json, text/html;q=0.5")]
    [InlineData("/admin/devices/", "text/html;q=0")]
    public async Task AnApiClient_GetsTheJsonApisAnswer(string path, string? accept)
    {
        using var response = await GetAsync(path, accept);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Content-Security-Policy"));
    }

    [Fact]
    public async Task AnApiClient_FindsNothingAtAdmin()
    {
        using var response = await GetAsync("/admin", "application/json");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ABrowserPostingToAnAdminAddress_IsNotGivenThePage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/admin/devices/1/");
        request.Headers.TryAddWithoutValidation("Accept", PageClient.BrowserAccept);

        using var response = await server.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return await server.CreateClient().SendAsync(request);
    }
}
