using JwtDevices;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds JwtDevices middleware to the pipeline.</summary>
public static class JwtDevicesApplicationBuilderExtensions
{
    /// <summary>
    /// Answers 400 to any request that carries a <c>Permanent-Token</c> header to an endpoint other than
    /// the refresh endpoint. Place it after routing (which <c>WebApplication</c> adds first by default)
    /// and before authentication.
    /// </summary>
    /// <param name="app">The application builder.</param>
    /// <returns>The application builder, for chaining.</returns>
    public static IApplicationBuilder UseJwtDevicesPermittedHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<PermittedHeadersMiddleware>();
    }
}
