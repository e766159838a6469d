using Microsoft.AspNetCore.Http;

namespace JwtDevices.Endpoints;

/// <summary>
/// Marks the answers of the endpoints that hand out tokens as not to be stored by any cache
/// (RFC 6749, section 5.1): <c>Cache-Control: no-store</c> and <c>Pragma: no-cache</c>.
/// </summary>
internal static class NoStoreFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        return result;
    }
}
