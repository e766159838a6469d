using System.Globalization;
using System.Threading.RateLimiting;
using JwtDevices.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JwtDevices.RateLimits;

/// <summary>
/// Limits log-ins and refreshes per client address before the endpoint reads anything. An endpoint filter
/// rather than the framework's rate-limiting middleware, so that the limits hold wherever the application
/// puts its middleware, with one registration call.
/// </summary>
internal static class RateLimitFilter
{
    public static ValueTask<object?> LoginsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        InvokeAsync(context, next, "Log-in", static (limiters, http) => limiters.AcquireLogin(http));

    public static ValueTask<object?> RefreshesAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        InvokeAsync(context, next, "Refresh", static (limiters, http) => limiters.AcquireRefresh(http));

    /// <summary>Answers 429 with <c>Retry-After</c> (whole seconds, at least one) and a problem-details body.</summary>
    public static ProblemHttpResult Refuse(HttpContext context, RateLimitLease lease, out int retryAfterSeconds)
    {
        retryAfterSeconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? (int)Math.Clamp(Math.Ceiling(retryAfter.TotalSeconds), 1, int.MaxValue)
            : 1;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return JwtDevicesProblems.TooManyRequests(retryAfterSeconds);
    }

    private static async ValueTask<object?> InvokeAsync(
        EndpointFilterInvocationContext context, EndpointFilterDelegate next, string endpoint,
        Func<JwtDevicesRateLimiters, HttpContext, RateLimitLease> acquire)
    {
        var http = context.HttpContext;
        var limiters = http.RequestServices.GetService<JwtDevicesRateLimiters>();
        if (limiters is null || !limiters.Enabled)
        {
            return await next(context);
        }
        using var lease = acquire(limiters, http);
        if (lease.IsAcquired)
        {
            return await next(context);
        }
        var refusal = Refuse(http, lease, out var seconds);
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitFilter).FullName!);
        LoginLog.ClientLimited(logger, endpoint, JwtDevicesRateLimiters.ClientAddress(http), seconds);
        return refusal;
    }
}
