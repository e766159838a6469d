using JwtDevices.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Benchmarks;

/// <summary>
/// The services both schemes run in (JwtDevices over the given device store, JwtBearer with one static HS256
/// key), and one request authenticated as the authentication middleware does: a request scope, then the scheme.
/// </summary>
internal static class BenchmarkServices
{
    public static ServiceProvider Create(byte[] key, Action<IServiceCollection> addDeviceStore)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JwtDevices:SigningKey"] = Convert.ToBase64String(key),
            // Long enough that no token expires during a run, however long the job.
            ["JwtDevices:AccessTokenLifetime"] = "1.00:00:00",
        }).Build();

        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IUserCredentialValidator, NoUsers>();
        addDeviceStore(services);
        services.AddAuthentication()
            .AddJwtDevices()
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    IssuerSigningKey = new SymmetricSecurityKey(key),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ValidateIssuer = false,
                    ValidateAudience = false,
                    ClockSkew = TimeSpan.Zero,
                    NameClaimType = JwtDevicesClaimTypes.Username,
                };
            });
        return services.BuildServiceProvider();
    }

    /// <summary>The URL of every benchmark request, which DPoP proofs name as their <c>htu</c>.</summary>
    public static readonly Uri RequestUri = new("http://localhost/me");

    /// <summary>A <c>GET</c> of <see cref="RequestUri"/>, with a <c>DPoP</c> proof header when one is given.</summary>
    public static async Task<AuthenticateResult> AuthenticateAsync(IServiceProvider services, string scheme, string authorization, string? dpopProof = null)
    {
        await using var scope = services.CreateAsyncScope();
        var context = NewRequest(scope.ServiceProvider);
        context.Request.Headers.Authorization = authorization;
        if (dpopProof is not null)
        {
            context.Request.Headers["DPoP"] = dpopProof;
        }
        return await context.AuthenticateAsync(scheme);
    }

    /// <summary>A <c>GET</c> of <see cref="RequestUri"/> without headers.</summary>
    public static DefaultHttpContext NewRequest(IServiceProvider requestServices)
    {
        var context = new DefaultHttpContext { RequestServices = requestServices };
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = RequestUri.Scheme;
        context.Request.Host = new HostString(RequestUri.Host);
        context.Request.Path = RequestUri.AbsolutePath;
        return context;
    }
}
