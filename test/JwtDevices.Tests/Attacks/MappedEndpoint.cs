using System.Text;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Attacks;

/// <summary>
/// One method of one route the server maps, read from its <see cref="EndpointDataSource"/>, so that
/// endpoints added later are attacked and fuzzed with no change here.
/// </summary>
internal sealed record MappedEndpoint(string Method, RoutePattern Pattern, bool RequiresAuthentication)
{
    /// <summary>The route's parameter names (<c>id</c> in <c>/devices/{id}/</c>).</summary>
    public IEnumerable<string> Parameters => Pattern.Parameters.Select(parameter => parameter.Name);

    /// <summary>Every mapped method of every route, in a stable order.</summary>
    public static IReadOnlyList<MappedEndpoint> All(ServerFactory server) =>
        server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(endpoint =>
            {
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [HttpMethod.Get.Method];
                var authenticated = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null
                    && (endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Count > 0
                        || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null);
                return methods.Select(method => new MappedEndpoint(method, endpoint.RoutePattern, authenticated));
            })
            .OrderBy(endpoint => endpoint.Pattern.RawText, StringComparer.Ordinal)
            .ThenBy(endpoint => endpoint.Method, StringComparer.Ordinal)
            .ToList();

    /// <summary>The endpoints that only an authenticated caller may reach.</summary>
    public static IReadOnlyList<MappedEndpoint> Authenticated(ServerFactory server) =>
        All(server).Where(endpoint => endpoint.RequiresAuthentication).ToList();

    /// <summary>The request path, with each route parameter replaced by <paramref name="value"/>'s answer (escaped).</summary>
    public string Path(Func<string, string> value)
    {
        var path = new StringBuilder();
        foreach (var segment in Pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart parameter => Uri.EscapeDataString(value(parameter.Name)),
                    _ => string.Empty,
                });
            }
        }
        if (path.Length == 0 || (Pattern.RawText?.EndsWith('/') ?? false))
        {
            path.Append('/');
        }
        return path.ToString();
    }

    public override string ToString() => $"{Method} {Pattern.RawText}";
}
