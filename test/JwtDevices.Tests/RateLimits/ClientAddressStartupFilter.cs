using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace JwtDevices.Tests.RateLimits;

/// <summary>
/// Gives each test request the client address it names in <see cref="Header"/>, as a real connection would
/// carry one (the test server carries none).
/// </summary>
internal sealed class ClientAddressStartupFilter : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }
            return following(context);
        });
        next(app);
    };
}
