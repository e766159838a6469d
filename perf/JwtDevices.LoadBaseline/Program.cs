using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

// Benchmark-only: the baseline that perf/load.sh compares the JwtDevices server with. GET /me behind plain,
// stateless JwtBearer with one static HS256 key (Baseline:SigningKey, base64), answering the server's JSON.
// "--print-token" prints a one-hour token for the fixed user of the load test and exits; "--print-tokens N"
// prints N distinct ones, one a line, as N clients would hold (another sub and jti each, the same key).
var tokenCount = args switch
{
    ["--print-token", ..] => 1,
    ["--print-tokens", var count, ..] => int.Parse(count, CultureInfo.InvariantCulture),
    _ => 0,
};
var builder = WebApplication.CreateBuilder(tokenCount > 0 ? [] : args);
var key = new SymmetricSecurityKey(Convert.FromBase64String(
    builder.Configuration["Baseline:SigningKey"] ?? throw new InvalidOperationException("Set Baseline:SigningKey (base64).")));

if (tokenCount > 0)
{
    var credentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256);
    using var output = new StreamWriter(Console.OpenStandardOutput());
    for (var client = 1; client <= tokenCount; client++)
    {
        output.WriteLine(CreateToken(credentials, client));
    }
    return;
}

builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
{
    options.MapInboundClaims = false;
    options.TokenValidationParameters = new TokenValidationParameters
    {
        IssuerSigningKey = key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateIssuer = false,
        ValidateAudience = false,
        ClockSkew = TimeSpan.Zero,
        NameClaimType = "username",
    };
});
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Json(
        new MeResponse(
            long.Parse(user.FindFirstValue("user_id")!, CultureInfo.InvariantCulture),
            user.FindFirstValue("username") ?? string.Empty,
            user.FindFirstValue("email") ?? string.Empty,
            null),
        BaselineJsonContext.Default.MeResponse))
    .RequireAuthorization();
app.Run();

// The claims of a JwtDevices token, without the device; sub tells the clients apart.
static string CreateToken(SigningCredentials credentials, int client)
{
    var now = DateTime.UtcNow;
    return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
    {
        Claims = new Dictionary<string, object>
        {
            ["user_id"] = 1L,
            ["username"] = "bench",
            ["email"] = "bench@example.com",
            [JwtRegisteredClaimNames.Sub] = client.ToString(CultureInfo.InvariantCulture),
            [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
        },
        IssuedAt = now,
        Expires = now.AddHours(1),
        SigningCredentials = credentials,
    });
}

/// <summary>The same shape as the JwtDevices server's <c>GET /me</c>.</summary>
internal sealed record MeResponse(long UserId, string Username, string Email, long? DeviceId);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(MeResponse))]
internal sealed partial class BaselineJsonContext : JsonSerializerContext;
