using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JwtDevices;

/// <summary>
/// Answers 400 to any request that carries a <c>Permanent-Token</c> header to an endpoint not marked with
/// <see cref="PermanentTokenEndpointMetadata"/>, so that a careless client cannot leak the token with every call.
/// </summary>
internal sealed class PermittedHeadersMiddleware(RequestDelegate next, ILogger<PermittedHeadersMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Headers.ContainsKey(JwtDevicesDefaults.PermanentTokenHeader)
            || context.GetEndpoint()?.Metadata.GetMetadata<PermanentTokenEndpointMetadata>() is not null)
        {
            return next(context);
        }

        Log.PermanentTokenNotPermitted(logger, context.Request.Path);
        return JwtDevicesProblems.PermanentTokenNotPermitted().ExecuteAsync(context);
    }
}
