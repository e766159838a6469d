using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JwtDevices.Endpoints;

/// <summary>
/// Answers 503 with a problem-details body, and <c>Retry-After</c>, when an endpoint cannot reach its
/// database: no stack trace, no connection string. Everything else passes through untouched.
/// </summary>
internal sealed partial class StoreOutageFilter(ILogger<StoreOutageFilter> logger) : IEndpointFilter
{
    /// <summary>A short wait: connection pools find a database that is back on their next attempt.</summary>
    internal const int RetryAfterSeconds = 5;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception exception) when (IsOutage(exception) && !context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogStoreUnavailable(logger, context.HttpContext.Request.Path, exception.GetType().Name);
            context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return JwtDevicesProblems.ServiceUnavailable();
        }
    }

    /// <summary>A database error, or a timeout or socket error anywhere in the chain (EF's retries wrap them).</summary>
    internal static bool IsOutage(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException or TimeoutException or SocketException)
            {
                return true;
            }
        }
        return false;
    }

    [LoggerMessage(30, LogLevel.Warning, "The database could not be reached for {Path} ({Error}); answered 503.", EventName = "StoreUnavailable")]
    private static partial void LogStoreUnavailable(ILogger logger, string path, string error);
}
