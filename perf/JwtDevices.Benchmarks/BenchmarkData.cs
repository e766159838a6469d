using System.Security.Cryptography;
using JwtDevices.Devices;
using JwtDevices.Users;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Benchmarks;

/// <summary>What both schemes share: the user, a new device, and a plain HS256 token with JwtDevices' claims.</summary>
internal static class BenchmarkData
{
    public static readonly JwtDevicesUser User = new("1", "bench", "bench@example.com");

    private static readonly JsonWebTokenHandler s_plainHandler = new() { SetDefaultTimesOnTokenCreation = false };

    public static Device NewDevice() => new()
    {
        UserId = User.Id,
        Name = "benchmark",
        Details = string.Empty,
        PermanentTokenHash = RandomNumberGenerator.GetBytes(32),
        KeySalt = RandomNumberGenerator.GetBytes(32),
        Created = DateTimeOffset.UtcNow,
        LastRequest = DateTimeOffset.UtcNow,
    };

    /// <summary>A stateless JWT as an application using JwtBearer would issue it: same claims, no device.</summary>
    public static string CreatePlainToken(SigningCredentials credentials)
    {
        var now = DateTime.UtcNow;
        return s_plainHandler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                [JwtDevicesClaimTypes.UserId] = 1L,
                [JwtDevicesClaimTypes.Username] = User.UserName,
                [JwtDevicesClaimTypes.Email] = User.Email!,
                [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            },
            IssuedAt = now,
            Expires = now.AddHours(1),
            SigningCredentials = credentials,
        });
    }
}
