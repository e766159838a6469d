using JwtDevices.Server.Data;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Attacks.Fuzz;

/// <summary>
/// The server the fuzz test hammers: rate limits off (they would answer most requests 429 and hide the
/// endpoints behind them), Identity's lock-out off and one-iteration password hashes, so that thousands
/// of log-ins cost milliseconds, not minutes. Nothing else differs from the real server.
/// </summary>
public abstract class FuzzServer : ServerFactory
{
    private protected FuzzServer(DatabaseProvider provider) : base(provider, ("RateLimits:Enabled", "false"))
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.Configure<PasswordHasherOptions>(options => options.IterationCount = 1);
            services.Configure<IdentityOptions>(options => options.Lockout.AllowedForNewUsers = false);
        });
    }
}
