using System.Globalization;
using System.Security.Cryptography;
using JwtDevices.Devices;
using JwtDevices.Users;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>Issues and validates access tokens (HS256 JWTs) and derives each device's key.</summary>
internal sealed class AccessTokenService
{
    // Binds derived keys to their purpose; a new version here would invalidate every device key.
    private static readonly byte[] s_deviceKeyInfo = "JwtDevices device signing key v1"u8.ToArray();

    private readonly JwtDevicesOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[] _masterKey;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public AccessTokenService(IOptions<JwtDevicesOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        if (!JwtDevicesOptionsValidator.TryDecodeKey(_options.SigningKey ?? string.Empty, out _masterKey)
            || _masterKey.Length < JwtDevicesOptionsValidator.MinimumKeyBytes)
        {
            throw new OptionsValidationException(JwtDevicesDefaults.ConfigurationSection, typeof(JwtDevicesOptions),
                ["JwtDevices:SigningKey must be a base64 key of at least 256 bits."]);
        }
        MasterCredentials = CreateCredentials(null, null, new SymmetricSecurityKey(_masterKey));
    }

    /// <summary>The master key's credentials: plain JWT mode signs and validates with them.</summary>
    public DeviceCredentials MasterCredentials { get; }

    /// <summary>Derives the device's key with HKDF-SHA256 from the master key and the device's salt.</summary>
    public DeviceCredentials CreateCredentials(Device device)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, _masterKey, 32, device.KeySalt, s_deviceKeyInfo);
        return CreateCredentials(device.Id, device.UserId, new SymmetricSecurityKey(key));
    }

    /// <summary>Issues an access token for the user, bound to the credentials' device if there is one.</summary>
    public string CreateToken(JwtDevicesUser user, DeviceCredentials credentials)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [JwtDevicesClaimTypes.UserId] = long.TryParse(user.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var numericId) ? numericId : user.Id,
            [JwtDevicesClaimTypes.Username] = user.UserName,
            [JwtDevicesClaimTypes.Email] = user.Email ?? string.Empty,
            [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
        };
        if (credentials.DeviceId is { } deviceId)
        {
            claims[JwtDevicesClaimTypes.DeviceId] = deviceId.ToString(CultureInfo.InvariantCulture);
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = now,
            Expires = now + _options.AccessTokenLifetime,
            Issuer = _options.Issuer,
            Audience = _options.Audience,
            SigningCredentials = credentials.SigningCredentials,
        });
    }

    /// <summary>Reads a token without validating it, or returns <see langword="null"/> when it is not a JWS.</summary>
    public JsonWebToken? TryRead(string token)
    {
        if (token.Length > _handler.MaximumTokenSizeInBytes || !_handler.CanReadToken(token))
        {
            return null;
        }
        try
        {
            var jwt = _handler.ReadJsonWebToken(token);
            return jwt.IsSigned ? jwt : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public Task<TokenValidationResult> ValidateAsync(JsonWebToken token, DeviceCredentials credentials) =>
        _handler.ValidateTokenAsync(token, credentials.ValidationParameters);

    private DeviceCredentials CreateCredentials(long? deviceId, string? userId, SymmetricSecurityKey key) =>
        new(deviceId, userId, new SigningCredentials(key, SecurityAlgorithms.HmacSha256), new TokenValidationParameters
        {
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            LifetimeValidator = IsWithinLifetime,
            ValidateIssuer = _options.Issuer is not null,
            ValidIssuer = _options.Issuer,
            ValidateAudience = _options.Audience is not null,
            ValidAudience = _options.Audience,
            NameClaimType = JwtDevicesClaimTypes.Username,
            AuthenticationType = JwtDevicesDefaults.AuthenticationScheme,
        });

    // The library's own lifetime check reads the system clock; this one reads TimeProvider.
    private bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        if (expires is null)
        {
            return false;
        }
        var now = _time.GetUtcNow().UtcDateTime;
        return now <= expires.Value + _options.ClockSkew && (notBefore is null || notBefore.Value - _options.ClockSkew <= now);
    }
}
