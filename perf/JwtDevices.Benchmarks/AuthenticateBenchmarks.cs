using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using JwtDevices.Devices;
using JwtDevices.Tokens;
using JwtDevices.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Benchmarks;

/// <summary>
/// Authenticates one request as the authentication middleware does (a request scope, then the scheme's
/// handler): JwtDevices with a warm credential cache against JwtBearer with one static HS256 key.
/// </summary>
[MemoryDiagnoser]
public class AuthenticateBenchmarks
{
    private ServiceProvider _services = null!;
    private string _jwtBearerHeader = null!;
    private string _jwtDevicesHeader = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["JwtDevices:SigningKey"] = Convert.ToBase64String(key),
            // Long enough that neither the token nor the cached credentials expire during a run.
            ["JwtDevices:AccessTokenLifetime"] = "01:00:00",
        }).Build();

        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IDeviceStore, InMemoryDeviceStore>()
            .AddSingleton<IUserCredentialValidator, NoUsers>();
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
        _services = services.BuildServiceProvider();

        var device = BenchmarkData.NewDevice();
        await _services.GetRequiredService<IDeviceStore>().CreateAsync(device, CancellationToken.None);
        var tokens = _services.GetRequiredService<AccessTokenService>();
        _jwtDevicesHeader = "Bearer " + tokens.CreateToken(BenchmarkData.User, tokens.CreateCredentials(device));
        _jwtBearerHeader = "Bearer " + BenchmarkData.CreatePlainToken(
            new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256));

        // Both must succeed; the first JwtDevices request also fills the credential cache.
        foreach (var result in new[] { await JwtBearerScheme(), await JwtDevicesScheme() })
        {
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Set-up is wrong: {result.Failure?.Message}");
            }
        }
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => _services.DisposeAsync();

    [Benchmark(Baseline = true)]
    public Task<AuthenticateResult> JwtBearerScheme() => AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme, _jwtBearerHeader);

    [Benchmark]
    public Task<AuthenticateResult> JwtDevicesScheme() => AuthenticateAsync(JwtDevicesDefaults.AuthenticationScheme, _jwtDevicesHeader);

    private async Task<AuthenticateResult> AuthenticateAsync(string scheme, string authorization)
    {
        await using var scope = _services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = authorization;
        return await context.AuthenticateAsync(scheme);
    }
}
