using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using JwtDevices.Devices;
using JwtDevices.Users;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>Issues and validates access tokens (HS256 JWTs) with each device's derived key.</summary>
internal sealed class AccessTokenService
{
    private static readonly byte[] s_plainModeKeyInfo = "JwtDevices plain-mode signing key v1"u8.ToArray();

    private readonly JwtDevicesOptions _options;
    private readonly TimeProvider _time;
    private readonly DeviceKeys _deviceKeys;
    private readonly SecurityKey[] _plainModeKeys;
    private readonly TokenValidationParameters _validation;
    private readonly TokenValidationParameters _legacyValidation;
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public AccessTokenService(IOptions<JwtDevicesOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        var masterKeys = JwtDevicesOptionsValidator.DecodeMasterKeys(_options);
        if (masterKeys.Length == 0)
        {
            throw new OptionsValidationException(JwtDevicesDefaults.ConfigurationSection, typeof(JwtDevicesOptions),
                ["JwtDevices:SigningKey (or each of JwtDevices:SigningKeys) must be a base64 key of at least 256 bits."]);
        }
        _deviceKeys = new DeviceKeys(masterKeys);
        // A master key itself signs nothing: plain JWT mode gets keys of its own, derived for that purpose only.
        _plainModeKeys = [.. masterKeys.Select(masterKey =>
            new SymmetricSecurityKey(HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: s_plainModeKeyInfo)))];
        MasterCredentials = new DeviceCredentials(null, new SigningCredentials(_plainModeKeys[0], SecurityAlgorithms.HmacSha256));
        _validation = new DeviceTokenValidationParameters
        {
            IssuerSigningKeyResolver = ResolveKeys,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            LifetimeValidator = IsWithinLifetime,
            ValidateIssuer = _options.Issuer is not null,
            ValidIssuer = _options.Issuer,
            ValidateAudience = _options.Audience is not null,
            ValidAudience = _options.Audience,
            AuthenticationType = JwtDevicesDefaults.AuthenticationScheme,
        };
        _legacyValidation = _validation.Clone();
        _legacyValidation.IssuerSigningKeyResolver = ResolveLegacyKeys;
    }

    /// <summary>Plain JWT mode's credentials: a key derived from the current master key for that mode alone.</summary>
    public DeviceCredentials MasterCredentials { get; }

    /// <summary>The device's credentials: its key derived from the current master key and its salt, named by the salt.</summary>
    public DeviceCredentials CreateCredentials(Device device) =>
        new(device.Id, new SigningCredentials(
            _deviceKeys.Derive(device.KeySalt, device.Id.ToString(CultureInfo.InvariantCulture), device.UserId),
            SecurityAlgorithms.HmacSha256),
            // A DBSC-bound browser proves its key to renew its session cookie; it cannot sign DPoP proofs.
            device.DbscPublicKey is null ? device.DpopKeyThumbprint : null);

    /// <summary>Issues an access token for the user, bound to the credentials' device if there is one.</summary>
    /// <param name="user">The user.</param>
    /// <param name="credentials">The device's credentials, or the master credentials in plain JWT mode.</param>
    /// <param name="issuedAt">The issue time; now when not given.</param>
    public string CreateToken(JwtDevicesUser user, DeviceCredentials credentials, DateTimeOffset? issuedAt = null)
    {
        var now = (issuedAt ?? _time.GetUtcNow()).UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [JwtDevicesClaimTypes.UserId] = UserIdClaim(user.Id),
            [JwtDevicesClaimTypes.Username] = user.UserName,
            [JwtDevicesClaimTypes.Email] = user.Email ?? string.Empty,
            [JwtRegisteredClaimNames.Jti] = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
        };
        if (credentials.DeviceId is { } deviceId)
        {
            claims[JwtDevicesClaimTypes.DeviceId] = deviceId.ToString(CultureInfo.InvariantCulture);
        }
        if (credentials.KeyThumbprint is { } thumbprint)
        {
            claims[JwtDevicesClaimTypes.Confirmation] = new Dictionary<string, object> { ["jkt"] = thumbprint };
        }
        if (_options.IncludeRoles && user.Roles.Count > 0)
        {
            // Always an array, whatever the number of roles, so that clients read it one way.
            claims[JwtDevicesClaimTypes.Roles] = user.Roles.ToArray();
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
        if (token.Length > _handler.MaximumTokenSizeInBytes || !IsCompactJws(token))
        {
            return null;
        }
        try
        {
            var jwt = _handler.ReadJsonWebToken(token);
            return jwt.IsSigned ? jwt : null;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            // A part that is not base64url throws FormatException, not ArgumentException.
            return null;
        }
    }

    /// <summary>The <c>cnf.jkt</c> of a token: the thumbprint of the DPoP key its device is bound to, or <see langword="null"/>.</summary>
    public static string? KeyThumbprintOf(JsonWebToken jwt)
    {
        if (!jwt.TryGetPayloadValue<object>(JwtDevicesClaimTypes.Confirmation, out var confirmation))
        {
            return null;
        }
        return confirmation switch
        {
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } element
                when element.TryGetProperty("jkt", out var jkt) && jkt.ValueKind == System.Text.Json.JsonValueKind.String => jkt.GetString(),
            IDictionary<string, object> members when members.TryGetValue("jkt", out var jkt) => jkt as string,
            _ => null,
        };
    }

    /// <summary>
    /// Whether the text has the form of a signed JWT, as <see cref="JsonWebTokenHandler.CanReadToken"/>'s JWS
    /// pattern says: a header, a payload and a signature of base64url characters, the signature possibly
    /// empty. That method splits the text into strings and runs a regular expression; this reads it once.
    /// </summary>
    internal static bool IsCompactJws(ReadOnlySpan<char> token)
    {
        var header = token.IndexOf('.');
        if (header <= 0)
        {
            return false;
        }
        var payload = token[(header + 1)..].IndexOf('.');
        return payload > 0
            && IsBase64Url(token[..header])
            && IsBase64Url(token.Slice(header + 1, payload))
            && IsBase64Url(token[(header + payload + 2)..]);
    }

    private static bool IsBase64Url(ReadOnlySpan<char> part) => !part.ContainsAnyExcept(s_base64UrlCharacters);

    private static readonly SearchValues<char> s_base64UrlCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Checks the signature, algorithm and lifetime, with no I/O: the key comes from the token's kid.</summary>
    public async Task<TokenValidationResult> ValidateAsync(JsonWebToken token)
    {
        var result = await _handler.ValidateTokenAsync(token, _validation);
        // A device token whose signature the current keys refuse may be one signed before the derivation changed.
        if (!result.IsValid && _options.EnablePermanentTokens && result.Exception is SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException)
        {
            var legacy = await _handler.ValidateTokenAsync(token, _legacyValidation);
            return legacy.IsValid ? legacy : result;
        }
        return result;
    }

    // Device tokens name their key; plain JWT mode's tokens name none and take the master key, in that mode only.
    private SecurityKey[] ResolveKeys(string token, SecurityToken securityToken, string keyId, TokenValidationParameters parameters)
    {
        if (_options.EnablePermanentTokens)
        {
            return securityToken is JsonWebToken jwt ? _deviceKeys.Resolve(keyId, jwt) : [];
        }
        return string.IsNullOrEmpty(keyId) ? _plainModeKeys : [];
    }

    private SecurityKey[] ResolveLegacyKeys(string token, SecurityToken securityToken, string keyId, TokenValidationParameters parameters) =>
        securityToken is JsonWebToken jwt ? _deviceKeys.LegacyKeys(keyId, jwt) : [];

    /// <summary>
    /// A JSON number when the id is an integer written the canonical way, so that "007" and "7" stay two
    /// users; else the id as a string.
    /// </summary>
    internal static object UserIdClaim(string userId) =>
        long.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
        && number.ToString(CultureInfo.InvariantCulture) == userId
            ? number
            : userId;

    /// <summary>Whether a token of this lifetime is valid now, give or take <see cref="JwtDevicesOptions.ClockSkew"/>.</summary>
    public bool IsWithinLifetime(DateTime? notBefore, DateTime expires) => IsWithinLifetime(notBefore, expires, null!, _validation);

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
