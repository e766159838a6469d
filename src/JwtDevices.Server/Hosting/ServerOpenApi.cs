using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using JwtDevices.Endpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace JwtDevices.Server.Hosting;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>, from the endpoints' own metadata, with the JWT
/// security scheme on every endpoint that needs a token; and, in Development, a page to browse it at
/// <c>/scalar/v1</c>. A copy is kept in <c>docs/openapi.json</c>.
/// </summary>
internal static class ServerOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";

    private const string SchemeName = "JWT";

    public static IServiceCollection AddJwtDevicesServerOpenApi(this IServiceCollection services)
    {
        // The answers are written by source-generated contexts; these settings serve the document, whose
        // schemas otherwise say that numbers may come as strings.
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        return services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
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
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var needsToken = !metadata.OfType<IAllowAnonymous>().Any()
                    && (metadata.OfType<IAuthorizeData>().Any() || metadata.OfType<AuthorizationPolicy>().Any());
                if (needsToken)
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] }];
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
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }
        return app;
    }
}
