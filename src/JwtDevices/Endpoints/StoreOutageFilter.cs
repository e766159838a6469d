using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JwtDevices.Endpoints;

/// <summary>
/// Answers 503 with a problem-details body, and <c>Retry-After</c>, when an endpoint cannot reach its
/// database: no stack trace, no connection string. Everything else passes through untouched: any other
/// database error is a bug, which the host logs as an error and answers 500.
/// </summary>
internal sealed partial class StoreOutageFilter(ILogger<StoreOutageFilter> logger, IEnumerable<IStoreOutageClassifier> classifiers) : IEndpointFilter
{
    /// <summary>A short wait: connection pools find a database that is back on their next attempt.</summary>
    internal const int RetryAfterSeconds = 5;

    private readonly IStoreOutageClassifier[] _classifiers = [.. classifiers];

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

    /// <summary>
    /// A connection failure anywhere in the chain (EF's retries wrap them): a socket error or a timeout, a
    /// database error its provider marks transient or whose SQLSTATE says so, or one a registered classifier
    /// recognises.
    /// </summary>
    private bool IsOutage(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException or TimeoutException
                || (current is DbException database && (database.IsTransient || IsUnavailableState(database.SqlState)))
                || _classifiers.Any(classifier => classifier.IsOutage(current)))
            {
                return true;
            }
        }
        return false;
    }

    // SQL's classes for "the database is not there for now": 08 connection exception, 53 insufficient
    // resources, 57 operator intervention (shut down, cannot connect now, statement timeout), 58 system error.
    private static bool IsUnavailableState(string? sqlState) =>
        sqlState is { Length: 5 } && sqlState[..2] is "08" or "53" or "57" or "58";

    [LoggerMessage(30, LogLevel.Warning, "The database could not be reached for {Path} ({Error}); answered 503.", EventName = "StoreUnavailable")]
    private static partial void LogStoreUnavailable(ILogger logger, string path, string error);
}
