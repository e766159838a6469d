using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using JwtDevices.Devices;
using JwtDevices.Tokens;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Benchmarks;

/// <summary>
/// Issues one access token: a plain HS256 JWT with the same claims, JwtDevices with a device's credentials
/// at hand, and JwtDevices deriving the device's key first, as log-in and refresh do.
/// </summary>
[MemoryDiagnoser]
public class IssueTokenBenchmarks
{
    private SigningCredentials _plainCredentials = null!;
    private AccessTokenService _tokens = null!;
    private Device _device = null!;
    private DeviceCredentials _deviceCredentials = null!;

    [GlobalSetup]
    public void Setup()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        _plainCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256);
        _tokens = new AccessTokenService(Options.Create(new JwtDevicesOptions { SigningKey = Convert.ToBase64String(key) }), TimeProvider.System);
        _device = BenchmarkData.NewDevice();
        _device.Id = 1;
        _deviceCredentials = _tokens.CreateCredentials(_device);
    }

    [Benchmark(Baseline = true)]
    public string PlainJwt() => BenchmarkData.CreatePlainToken(_plainCredentials);

    [Benchmark]
    public string JwtDevicesCachedKey() => _tokens.CreateToken(BenchmarkData.User, _deviceCredentials);

    [Benchmark]
    public string JwtDevicesDerivedKey() => _tokens.CreateToken(BenchmarkData.User, _tokens.CreateCredentials(_device));
}
