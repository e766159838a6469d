using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The base of the device events' contexts. These events also happen outside a request (an administrator
/// command, the expired-device cleanup), so the request is optional.
/// </summary>
public abstract class JwtDevicesEventContext
{
    private protected JwtDevicesEventContext(IServiceProvider services, JwtDevicesOptions options, HttpContext? httpContext)
    {
        Services = services;
        Options = options;
        HttpContext = httpContext;
    }

    /// <summary>The services of the current scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The settings in use (those of the first JwtDevices scheme).</summary>
    public JwtDevicesOptions Options { get; }

    /// <summary>The request that caused the event, or <see langword="null"/> when no request did.</summary>
    public HttpContext? HttpContext { get; }
}
