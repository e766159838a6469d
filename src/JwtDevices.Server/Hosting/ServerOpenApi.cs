using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using JwtDevices.Endpoints;
using JwtDevices.Server.Admin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace JwtDevices.Server.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>, from the endpoints' own metadata, with the JWT
/// security scheme on every endpoint that needs a token; and, in Development, a page to browse it at
/// <c>/scalar/v1</c> that loads nothing from another origin. A copy is kept in <c>docs/openapi.json</c>.
/// </summary>
internal static class ServerOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";

    private const string SchemeName = "JWT";
    private const string DpopSchemeName = "DPoP";

    public static IServiceCollection AddJwtDevicesServerOpenApi(this IServiceCollection services)
    {
        // The answers are written by source-generated contexts; these settings serve the document, whose
        // schemas otherwise say that numbers may come as strings.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        return services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, context, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "JwtDevices",
                    Version = "v1",
                    Description = "Device-bound JWT authentication, wire-compatible with drf-jwt-devices. "
                        + "Errors are RFC 9457 problem details with a stable `code`.",
                };
                // The address the document was fetched from is not the server's (proxies, path bases): leave it to the reader.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [SchemeName] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "JWT",
                        Description = "The token from log-in or refresh, as `Authorization: Bearer <token>` or, as drf-jwt-devices clients send it, `Authorization: JWT <token>`.",
                    },
                    [DpopSchemeName] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "dpop",
                        BearerFormat = "JWT",
                        Description = "The token of a device bound to a DPoP key (its log-in answered `\"token_type\": \"DPoP\"`), as `Authorization: DPoP <token>` "
                            + "with a fresh proof by that key in the `DPoP` header (RFC 9449).",
                    },
                };
                document.Paths = WithTrailingSlashes(document.Paths, context.DescriptionGroups);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var needsToken = !metadata.OfType<IAllowAnonymous>().Any()
                    && (metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<AuthorizationPolicy>().Any());
                if (needsToken)
                {
                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(DpopSchemeName, context.Document)] = [] },
                    ];
                }
                // The endpoints answer a missing header with their own problem (the seed's 400), so its parameter
                // is bound as optional; a client must still send it.
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                {
                    if (parameter.In == ParameterLocation.Header && s_requiredHeaders.Contains(parameter.Name ?? string.Empty))
                    {
                        parameter.Required = true;
                    }
                }
                if (operation.OperationId == AdminDevicesEndpoints.ListOperation)
                {
                    operation.Parameters = [.. operation.Parameters ?? [], .. AdminListParameters()];
                }
                if (needsToken || operation.OperationId is "Login" or "RefreshToken")
                {
                    operation.Parameters = [.. operation.Parameters ?? [], DpopProofParameter(operation.OperationId)];
                }
                // The endpoints read their bodies themselves (to answer bad ones with problem details), so
                // the framework knows no request type to describe.
                operation.RequestBody ??= operation.OperationId switch
                {
                    "Login" => Body(["username", "password"], "application/json", "application/x-www-form-urlencoded", "multipart/form-data"),
                    "RenameDevice" => Body(["name"], "application/json"),
                    "ChangePassword" => Body(["old_password", "new_password"], "application/json"),
                    _ => null,
                };
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(ProblemDetails) || context.JsonTypeInfo.Type == typeof(HttpValidationProblemDetails))
                {
                    schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
                    schema.Properties["code"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "What went wrong, in a word that never changes.",
                        Enum = [.. s_errorCodes.Select(code => (JsonNode)JsonValue.Create(code))],
                    };
                }
                return Task.CompletedTask;
            });
        });
    }

    private static readonly HashSet<string> s_requiredHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        JwtDevicesDefaults.PermanentTokenHeader,
        JwtDevicesDefaults.DeviceIdHeader,
    };

    // The route template of an endpoint mapped with a trailing slash, without its constraints: "/devices/{id}/".
    private static readonly Regex s_constraint = new(@"\{([^}:=?]+)[^}]*\}", RegexOptions.CultureInvariant);

    /// <summary>
    /// The framework lists every path without its trailing slash; the API accepts both, and the seed's clients
    /// call the form with the slash, so the document lists the form each endpoint was mapped with.
    /// </summary>
    private static OpenApiPaths WithTrailingSlashes(OpenApiPaths paths, IReadOnlyList<ApiDescriptionGroup> groups)
    {
        var slashed = groups
            .SelectMany(group => group.Items)
            .Select(description => "/" + s_constraint.Replace(description.RelativePath ?? string.Empty, "{$1}"))
            .Where(path => path.Length > 1 && path.EndsWith('/'))
            .ToHashSet(StringComparer.Ordinal);
        var renamed = new OpenApiPaths();
        foreach (var (path, item) in paths)
        {
            renamed[slashed.Contains(path + "/") ? path + "/" : path] = item;
        }
        return renamed;
    }

    // RFC 9449's proof header: optional at log-in (it binds the device), needed for a bound device's refresh and requests.
    private static OpenApiParameter DpopProofParameter(string? operationId) => new()
    {
        Name = "DPoP",
        In = ParameterLocation.Header,
        Required = false,
        Description = operationId switch
        {
            "Login" => "A DPoP proof (RFC 9449: typ dpop+jwt, htm POST, htu this URL): binds the new device to its key, and the answer says \"token_type\": \"DPoP\". "
                + "A bad proof is 400 invalid_dpop_proof (or use_dpop_nonce, with a DPoP-Nonce header).",
            "RefreshToken" => "A DPoP proof by the key the device is bound to; required for a bound device (400 invalid_dpop_proof without it).",
            _ => "With Authorization: DPoP, a proof by the device's key for this request, with ath, the hash of the token; 401 with WWW-Authenticate: DPoP otherwise.",
        },
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    // What AdminDeviceQuery reads from the query string.
    private static IEnumerable<OpenApiParameter> AdminListParameters()
    {
        static OpenApiParameter Query(string name, string description, OpenApiSchema schema) =>
            new() { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema };
        var day = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" };
        return
        [
            Query("search", "Matches user name, e-mail, device name and details, in any case.",
                new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = AdminDeviceQuery.MaximumSearchLength }),
            Query("page", $"The page, from 1 to {AdminDeviceQuery.MaximumPage}.", new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                Minimum = "1",
                Maximum = AdminDeviceQuery.MaximumPage.ToString(CultureInfo.InvariantCulture),
            }),
            Query("seen_from", "Last seen on or after this UTC day, as 2026-11-30.", day),
            Query("seen_to", "Last seen on or before this UTC day, as 2026-11-30.", day),
        ];
    }

    private static OpenApiRequestBody Body(string[] fields, params string[] contentTypes)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string>(fields),
            Properties = fields.ToDictionary(field => field, IOpenApiSchema (_) => new OpenApiSchema { Type = JsonSchemaType.String }),
        };
        return new OpenApiRequestBody
        {
            Required = true,
            Content = contentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
        };
    }

    // Every code of JwtDevicesErrors, so that a new one shows without a change here.
    private static readonly string[] s_errorCodes = [.. typeof(JwtDevicesErrors)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(constant => constant.IsLiteral && constant.FieldType == typeof(string))
        .Select(constant => (string)constant.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)];

    public static WebApplication MapJwtDevicesServerOpenApi(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        // Off in Production: the page is a large third-party script with inline code, and the pages' cookie
        // session trusts every script of this origin. Run with --environment Development to browse the API.
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference(options => options
                .WithTitle("JwtDevices API")
                .WithFavicon("/favicon.svg")
                // Nothing from another origin: the script is the package's own, no fonts from Scalar's CDN, no
                // telemetry (and no proxy: none is set)...
                .DisableDefaultFonts()
                .DisableTelemetry()
                // ...and none of its hosted services' buttons (Ask AI, MCP, Deploy, Generate SDK).
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                .HideClientButton());
        }
        return app;
    }
}
