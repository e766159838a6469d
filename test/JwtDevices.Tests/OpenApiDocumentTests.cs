using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c> describes every endpoint the server maps, with the
/// headers, status codes and security it has, and <c>docs/openapi.json</c> is a current copy of it.
/// </summary>
public sealed class OpenApiDocumentTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private const string UpdateVariable = "JWTDEVICES_UPDATE_OPENAPI";

    [Fact]
    public async Task TheCheckedInCopy_IsTheServedDocument()
    {
        var served = Normalize(await DocumentAsync());
        var path = Path.Combine(RepositoryRoot(), "docs", "openapi.json");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        var checkedIn = File.Exists(path) ? Normalize(JsonNode.Parse(await File.ReadAllTextAsync(path))!) : "(missing)";

        Assert.True(served == checkedIn,
            $"docs/openapi.json differs from what the server serves. Regenerate it with: {UpdateVariable}=1 dotnet test --filter {nameof(OpenApiDocumentTests)}");
    }

    [Fact]
    public async Task EveryMappedEndpoint_IsDescribed_WithASuccessAndTheDatabaseOutage()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!.AsObject();
        var mapped = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(endpoint => endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>() is not null) // route handlers, not health checks
            .SelectMany(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods
                .Select(method => (Path: "/" + endpoint.RoutePattern.RawText!.TrimStart('/'), Method: method.ToLowerInvariant())))
            .ToList();

        Assert.NotEmpty(mapped);
        foreach (var (path, method) in mapped)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method.ToUpperInvariant()} {path} is not in the document.");
            var statuses = operation["responses"]!.AsObject().Select(response => response.Key).ToList();
            Assert.Contains(statuses, status => status.StartsWith('2'));
            Assert.Contains("400", statuses); // a stray Permanent-Token, or bad input
            if (operation["security"] is not null)
            {
                Assert.Contains("401", statuses);
            }
        }
    }

    [Theory]
    [InlineData("/auth-token/", "post", "DPoP", "200 400 413 415 429 503", false)]
    [InlineData("/device-refresh-token/", "post", "Permanent-Token DPoP", "200 400 429 503", false)]
    [InlineData("/device-logout/", "delete", "Device-Id DPoP", "204 400 401 404 503", true)]
    [InlineData("/devices/", "get", "DPoP", "200 400 401 503", true)]
    [InlineData("/devices/{id}/", "delete", "id DPoP", "204 400 401 404 503", true)]
    [InlineData("/me", "get", "DPoP", "200 400 401", true)]
    [InlineData("/device-logout-all/", "post", "DPoP", "204 400 401 503", true)]
    [InlineData("/device-logout-others/", "post", "DPoP", "204 400 401 503", true)]
    [InlineData("/devices/current/", "get", "DPoP", "200 400 401 404 503", true)]
    [InlineData("/devices/{id}/", "patch", "id DPoP", "200 400 401 404 413 415 503", true)]
    [InlineData("/admin/devices/", "get", "search page seen_from seen_to DPoP", "200 400 401 403 503", true)]
    [InlineData("/admin/devices/{id}/", "delete", "id DPoP", "204 400 401 403 404 503", true)]
    public async Task EachEndpoint_HasItsParameters_StatusCodes_AndSecurity(
        string path, string method, string parameters, string statuses, bool needsToken)
    {
        var operation = (await DocumentAsync())["paths"]![path]![method]!;

        var names = operation["parameters"]?.AsArray().Select(p => (string)p!["name"]!).ToArray() ?? [];
        Assert.Equal(parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries), names);
        Assert.Equal(statuses.Split(' '), operation["responses"]!.AsObject().Select(r => r.Key).Order());
        Assert.Equal(needsToken, operation["security"]?[0]?["JWT"] is not null);
        Assert.Equal(needsToken, operation["security"]?[1]?["DPoP"] is not null);
    }

    [Theory]
    [InlineData("/device-refresh-token/", "post", "Permanent-Token")]
    [InlineData("/device-logout/", "delete", "Device-Id")]
    public async Task TheHeadersAnEndpointNeeds_AreRequired(string path, string method, string header)
    {
        var parameter = (await DocumentAsync())["paths"]![path]![method]!["parameters"]!.AsArray()
            .Single(p => (string)p!["name"]! == header)!;

        Assert.Equal("header", (string)parameter["in"]!);
        Assert.True((bool?)parameter["required"]);
    }

    [Fact]
    public async Task Paths_HaveTheTrailingSlash_TheEndpointsAreMappedWith()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject().Select(path => path.Key).ToList();

        Assert.Contains("/auth-token/", paths);
        Assert.Contains("/devices/{id}/", paths);
        Assert.Contains("/admin/devices/", paths);
        Assert.Contains("/me", paths); // mapped without one
        Assert.DoesNotContain("/auth-token", paths);
        Assert.DoesNotContain("/devices/{id}", paths);
    }

    [Fact]
    public async Task Schemas_UseTheWireNames_NumbersAreNumbers_AndProblemsHaveTheirCode()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;

        Assert.Equal(["token", "permanent_token", "device_id", "token_type"], schemas["LoginResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["token", "permanent_token", "token_type"], schemas["TokenResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["id", "created", "name", "details", "last_request_datetime"], schemas["DeviceResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal("integer", (string)schemas["DeviceResponse"]!["properties"]!["id"]!["type"]!);
        Assert.Equal(["devices", "page", "page_size", "total"], schemas["AdminDevicePage"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["id", "user_id", "username", "email", "name", "details", "created", "last_request_datetime", "key_bound", "key_binding"],
            schemas["AdminDevice"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["id", "created", "name", "details", "last_request_datetime", "key_bound", "key_binding"], schemas["MyDevice"]!["properties"]!.AsObject().Select(p => p.Key));
        var codes = schemas["ProblemDetails"]!["properties"]!["code"]!["enum"]!.AsArray().Select(code => (string)code!);
        Assert.Contains("device_not_found", codes);
        Assert.Equal("bearer", (string)(await DocumentAsync())["components"]!["securitySchemes"]!["JWT"]!["scheme"]!);
        Assert.Equal("dpop", (string)(await DocumentAsync())["components"]!["securitySchemes"]!["DPoP"]!["scheme"]!);
    }

    [Fact]
    public async Task Development_ServesABrowsablePage_WithNoFontsFromElsewhere()
    {
        using var response = await server.CreateClient().GetAsync("/scalar/v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"withDefaultFonts\":false", page, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_ServesTheDocument_ButNoBrowsablePage()
    {
        using var production = new ServerFactory().WithSettings(("environment", "Production"));
        var client = production.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/openapi/v1.json", null));
        Assert.Equal(HttpStatusCode.NotFound, await client.StatusOfAsync(HttpMethod.Get, "/scalar/v1", null));
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var response = await server.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static string Normalize(JsonNode document) =>
        document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "JwtDevices.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (with JwtDevices.slnx) was not found above the test binaries.");
    }
}
