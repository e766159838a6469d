using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using JwtDevices.Devices;
using JwtDevices.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Benchmarks;

/// <summary>
/// Authenticates one request as the authentication middleware does (a request scope, then the scheme's
/// handler): JwtDevices with one device's token, its key cached, against JwtBearer with one static HS256 key.
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
        _services = BenchmarkServices.Create(key, services => services.AddSingleton<IDeviceStore, InMemoryDeviceStore>());

        var device = BenchmarkData.NewDevice();
        await _services.GetRequiredService<IDeviceStore>().CreateAsync(device, CancellationToken.None);
        var tokens = _services.GetRequiredService<AccessTokenService>();
        _jwtDevicesHeader = "Bearer " + tokens.CreateToken(BenchmarkData.User, tokens.CreateCredentials(device));
        _jwtBearerHeader = "Bearer " + BenchmarkData.CreatePlainToken(
            new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256));

        // Both must succeed; the first JwtDevices request also caches the device key.
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
    public Task<AuthenticateResult> JwtBearerScheme() => BenchmarkServices.AuthenticateAsync(_services, JwtBearerDefaults.AuthenticationScheme, _jwtBearerHeader);

    [Benchmark]
    public Task<AuthenticateResult> JwtDevicesScheme() => BenchmarkServices.AuthenticateAsync(_services, JwtDevicesDefaults.AuthenticationScheme, _jwtDevicesHeader);
}
