using Microsoft.Extensions.Logging;

namespace JwtDevices.Diagnostics;

/// <summary>
/// The logger factory the handler gives its base class. ASP.NET Core's handler logs a failed
/// authentication each time it is asked (the authentication and the authorization middleware both ask)
/// and then the challenge: three lines for one refused token. The handler logs the refusal once itself,
/// with its reason, so those two framework messages are dropped here; everything else passes.
/// </summary>
internal sealed class HandlerLoggerFactory(ILoggerFactory loggers) : ILoggerFactory
{
    private ILogger? _logger;

    public ILogger CreateLogger(string categoryName)
    {
        // One category (the handler's type), made once: handlers are made per request.
        var logger = _logger;
        if (logger is null || logger is not FilteredLogger filtered || filtered.Category != categoryName)
        {
            logger = new FilteredLogger(categoryName, loggers.CreateLogger(categoryName));
            _logger = logger;
        }
        return logger;
    }

    public void AddProvider(ILoggerProvider provider) => loggers.AddProvider(provider);

    // The application's logger factory is not ours to dispose.
    public void Dispose()
    {
    }

    private sealed class FilteredLogger(string category, ILogger inner) : ILogger
    {
        public string Category { get; } = category;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is "AuthenticationSchemeNotAuthenticatedWithFailure" or "AuthenticationSchemeChallenged")
            {
                return;
            }
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
