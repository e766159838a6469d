using System.Security.Cryptography;
using System.Text.Json;
using JwtDevices.Devices;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tokens;
using JwtDevices.Users;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests.Unit;

/// <summary>Issuing, validating and key derivation of access tokens, without a server.</summary>
public sealed class AccessTokenServiceTests
{
    private const string MasterKey = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=";
    private const string OtherMasterKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    // Far from the real clock, so a test that passes only through TimeProvider shows it.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2031, 3, 4, 5, 6, 7, TimeSpan.Zero));

    private static readonly JwtDevicesUser s_user = new("42", "alice", "alice@example.com");

    [Fact]
    public async Task Token_ValidatesWithItsDeviceCredentials()
    {
        var service = CreateService();
        var credentials = service.CreateCredentials(NewDevice(1));

        var token = service.CreateToken(s_user, credentials);

        Assert.True(await IsAcceptedAsync(service, token));
    }

    [Fact]
    public void Token_NamesItsDevicesSalt_AsKeyId()
    {
        var service = CreateService();
        var device = NewDevice(1);

        var token = service.CreateToken(s_user, service.CreateCredentials(device));

        Assert.Equal(Base64UrlEncoder.Encode(device.KeySalt), HandMadeJwt.Header(token)["kid"]!.GetValue<string>());
    }

    [Fact]
    public async Task Token_WhoseKeyIdNamesAnotherDevice_IsRefused()
    {
        var service = CreateService();
        var token = service.CreateToken(s_user, service.CreateCredentials(NewDevice(1)));
        var header = HandMadeJwt.Header(token);
        header["kid"] = Base64UrlEncoder.Encode(NewDevice(2).KeySalt);

        Assert.False(await IsAcceptedAsync(service, HandMadeJwt.WithHeader(token, header)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-salt")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*")]
    public async Task Token_WithoutAKeyIdOfOurs_IsRefused(string? keyId)
    {
        var service = CreateService();
        var device = NewDevice(1);
        var key = KeyOf(service.CreateCredentials(device));
        var payload = HandMadeJwt.Payload(service.CreateToken(s_user, service.CreateCredentials(device)));

        Assert.False(await IsAcceptedAsync(service, HandMadeJwt.Sign(payload, key, keyId: keyId)));
        Assert.True(await IsAcceptedAsync(service, HandMadeJwt.Sign(payload, key, keyId: Base64UrlEncoder.Encode(device.KeySalt))));
    }

    [Fact]
    public async Task DeviceToken_IsRefused_InPlainJwtMode()
    {
        var token = CreateService().CreateToken(s_user, CreateService().CreateCredentials(NewDevice(1)));

        Assert.False(await IsAcceptedAsync(CreateService(o => o.EnablePermanentTokens = false), token));
    }

    [Fact]
    public async Task MasterKeyToken_IsRefused_WhenPermanentTokensAreOn()
    {
        var service = CreateService();
        var token = service.CreateToken(s_user, service.MasterCredentials);

        Assert.False(await IsAcceptedAsync(service, token));
        Assert.True(await IsAcceptedAsync(CreateService(o => o.EnablePermanentTokens = false), token));
    }

    [Fact]
    public async Task DeviceToken_IsRefusedByTheSameDeviceUnderAnotherMasterKey()
    {
        var device = NewDevice(1);
        var service = CreateService();
        var otherService = CreateService(o => o.SigningKey = OtherMasterKey);
        var token = service.CreateToken(s_user, service.CreateCredentials(device));

        Assert.False(await IsAcceptedAsync(otherService, token));
    }

    [Fact]
    public void KeyDerivation_IsDeterministic_ForTheSameSaltIdsAndMasterKey()
    {
        var device = NewDevice(1);

        var first = KeyOf(CreateService().CreateCredentials(device));
        var second = KeyOf(CreateService().CreateCredentials(NewDevice(1, device.KeySalt)));

        Assert.Equal(first, second);
        Assert.Equal(32, first.Length);
    }

    [Fact]
    public void KeyDerivation_IsHkdfExpandOfTheMasterKey_WithPurposeSaltAndIdsAsItsInfo()
    {
        var device = NewDevice(7);
        var info = "JwtDevices device signing key v3\n"u8.ToArray().Concat(device.KeySalt).Concat("\n7\n42"u8.ToArray()).ToArray();

        var key = KeyOf(CreateService().CreateCredentials(device));

        // RFC 5869's expand step as .NET implements it, the master key as the pseudorandom key.
        Assert.Equal(HKDF.Expand(HashAlgorithmName.SHA256, Convert.FromBase64String(MasterKey), 32, info), key);
    }

    [Fact]
    public async Task TokenSignedWithTheEarlierDerivation_IsStillAccepted_UntilItExpires()
    {
        var service = CreateService();
        var device = NewDevice(1);
        var credentials = service.CreateCredentials(device);
        var earlierKey = DeviceKeys.DeriveLegacyKey(Convert.FromBase64String(MasterKey), device.KeySalt, "1", "42");
        var payload = HandMadeJwt.Payload(service.CreateToken(s_user, credentials));

        var earlier = HandMadeJwt.Sign(payload, earlierKey, keyId: credentials.SigningCredentials.Key.KeyId);

        Assert.NotEqual(earlierKey, KeyOf(credentials));
        Assert.True(await IsAcceptedAsync(service, earlier));
        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.False(await IsAcceptedAsync(service, earlier));
    }

    [Fact]
    public async Task TokenSignedWithTheEarlierDerivationForAnotherDevice_IsRefused()
    {
        var service = CreateService();
        var device = NewDevice(1);
        var credentials = service.CreateCredentials(device);
        var payload = HandMadeJwt.Payload(service.CreateToken(s_user, credentials));
        var otherDevicesKey = DeviceKeys.DeriveLegacyKey(Convert.FromBase64String(MasterKey), device.KeySalt, "2", "42");

        var forged = HandMadeJwt.Sign(payload, otherDevicesKey, keyId: credentials.SigningCredentials.Key.KeyId);

        Assert.False(await IsAcceptedAsync(service, forged));
    }

    [Fact]
    public void KeyDerivation_BindsTheDeviceAndUserIds()
    {
        var service = CreateService();
        var device = NewDevice(1);
        var otherUser = NewDevice(1, device.KeySalt);
        otherUser.UserId = "43";

        var key = KeyOf(service.CreateCredentials(device));

        Assert.NotEqual(key, KeyOf(service.CreateCredentials(NewDevice(9, device.KeySalt))));
        Assert.NotEqual(key, KeyOf(service.CreateCredentials(otherUser)));
    }

    [Fact]
    public void KeyDerivation_Differs_ForAnotherSalt()
    {
        var service = CreateService();

        var first = KeyOf(service.CreateCredentials(NewDevice(1)));
        var second = KeyOf(service.CreateCredentials(NewDevice(1)));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void KeyDerivation_Differs_ForAnotherMasterKey()
    {
        var device = NewDevice(1);

        var first = KeyOf(CreateService().CreateCredentials(device));
        var second = KeyOf(CreateService(o => o.SigningKey = OtherMasterKey).CreateCredentials(device));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void DerivedKey_DiffersFromMasterKey()
    {
        var service = CreateService();

        var derived = KeyOf(service.CreateCredentials(NewDevice(1)));

        Assert.NotEqual(Convert.FromBase64String(MasterKey), derived);
        Assert.NotEqual(KeyOf(service.MasterCredentials), derived);
        Assert.NotEqual(Convert.FromBase64String(MasterKey), KeyOf(service.MasterCredentials)); // the master key signs nothing itself
    }

    [Fact]
    public async Task DeviceKeys_StayOutOfIdentityModelsSharedProviderCache()
    {
        // That cache holds 1,000 providers and compacts on every new key past that; devices are far more.
        var service = CreateService();
        var credentials = service.CreateCredentials(NewDevice(1));
        var token = service.CreateToken(s_user, credentials);

        Assert.True(await IsAcceptedAsync(service, token));

        var cache = CryptoProviderFactory.Default.CryptoProviderCache;
        var provider = typeof(SymmetricSignatureProvider).ToString();
        foreach (var willCreateSignatures in new[] { true, false })
        {
            Assert.False(cache.TryGetSignatureProvider(
                credentials.SigningCredentials.Key, SecurityAlgorithms.HmacSha256, provider, willCreateSignatures, out _));
        }
    }

    [Fact]
    public void Payload_HasTheSeedsClaims_WithNumericUserIdAndDeviceIdAsString()
    {
        var service = CreateService();

        var token = service.CreateToken(s_user, service.CreateCredentials(NewDevice(17)));

        using var payload = JsonDocument.Parse(HandMadeJwt.Payload(token).ToJsonString());
        var root = payload.RootElement;
        Assert.Equal(JsonValueKind.Number, root.GetProperty("user_id").ValueKind);
        Assert.Equal(42, root.GetProperty("user_id").GetInt64());
        Assert.Equal("alice", root.GetProperty("username").GetString());
        Assert.Equal("alice@example.com", root.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("device_id").ValueKind);
        Assert.Equal("17", root.GetProperty("device_id").GetString());
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds(), root.GetProperty("iat").GetInt64());
        Assert.Equal(_time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds(), root.GetProperty("exp").GetInt64());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("jti").GetString()));
    }

    [Fact]
    public void Payload_HasUserIdAsString_WhenTheIdIsNotANumber()
    {
        var service = CreateService();
        var user = new JwtDevicesUser("3f2504e0-4f89-11d3-9a0c-0305e82c3301", "bob", null);

        var token = service.CreateToken(user, service.CreateCredentials(NewDevice(1)));

        var payload = HandMadeJwt.Payload(token);
        Assert.Equal(JsonValueKind.String, payload["user_id"]!.GetValueKind());
        Assert.Equal("3f2504e0-4f89-11d3-9a0c-0305e82c3301", payload["user_id"]!.GetValue<string>());
    }

    [Fact]
    public void Payload_HasEmptyEmail_WhenTheUserHasNone()
    {
        var service = CreateService();
        var user = new JwtDevicesUser("5", "carol", null);

        var token = service.CreateToken(user, service.CreateCredentials(NewDevice(1)));

        Assert.Equal(string.Empty, HandMadeJwt.Payload(token)["email"]!.GetValue<string>());
    }

    [Fact]
    public void Tokens_HaveDistinctJti()
    {
        var service = CreateService();
        var credentials = service.CreateCredentials(NewDevice(1));

        var first = HandMadeJwt.Payload(service.CreateToken(s_user, credentials))["jti"]!.GetValue<string>();
        var second = HandMadeJwt.Payload(service.CreateToken(s_user, credentials))["jti"]!.GetValue<string>();

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Header_AlgorithmIsHS256()
    {
        var service = CreateService();

        var token = service.CreateToken(s_user, service.CreateCredentials(NewDevice(1)));

        Assert.Equal("HS256", HandMadeJwt.Header(token)["alg"]!.GetValue<string>());
    }

    [Fact]
    public async Task ExpiredToken_IsRefused()
    {
        var service = CreateService();
        var credentials = service.CreateCredentials(NewDevice(1));
        var token = service.CreateToken(s_user, credentials);

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        Assert.False(await IsAcceptedAsync(service, token));
    }

    [Fact]
    public async Task Token_IsAccepted_JustBeforeItExpires()
    {
        var service = CreateService();
        var credentials = service.CreateCredentials(NewDevice(1));
        var token = service.CreateToken(s_user, credentials);

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));

        Assert.True(await IsAcceptedAsync(service, token));
    }

    [Fact]
    public async Task ExpiredToken_IsAccepted_WithinClockSkew()
    {
        var service = CreateService(o => o.ClockSkew = TimeSpan.FromSeconds(30));
        var credentials = service.CreateCredentials(NewDevice(1));
        var token = service.CreateToken(s_user, credentials);

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(20));

        Assert.True(await IsAcceptedAsync(service, token));
    }

    [Fact]
    public async Task ExpiredToken_IsRefused_BeyondClockSkew()
    {
        var service = CreateService(o => o.ClockSkew = TimeSpan.FromSeconds(30));
        var credentials = service.CreateCredentials(NewDevice(1));
        var token = service.CreateToken(s_user, credentials);

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(31));

        Assert.False(await IsAcceptedAsync(service, token));
    }

    [Fact]
    public async Task Token_WithAlgNone_IsRefused()
    {
        var service = CreateService();
        var credentials = service.CreateCredentials(NewDevice(1));
        var genuine = service.CreateToken(s_user, credentials);

        var forged = HandMadeJwt.Unsigned(HandMadeJwt.Payload(genuine));

        Assert.Null(service.TryRead(forged));
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler();
        var direct = await handler.ValidateTokenAsync(forged, new TokenValidationParameters
        {
            IssuerSigningKey = credentials.SigningCredentials.Key,
            ValidateIssuer = false,
            ValidateAudience = false,
        });
        Assert.False(direct.IsValid);
    }

    [Fact]
    public async Task Token_SignedWithHS512AndTheRightKey_IsRefused()
    {
        var service = CreateService();
        var credentials = service.CreateCredentials(NewDevice(1));
        var genuine = service.CreateToken(s_user, credentials);

        var forged = HandMadeJwt.Sign(HandMadeJwt.Payload(genuine), KeyOf(credentials), "HS512", credentials.SigningCredentials.Key.KeyId);

        Assert.False(await IsAcceptedAsync(service, forged));
    }

    [Fact]
    public async Task HandMadeToken_SignedWithHS256AndTheRightKey_IsAccepted()
    {
        // The control for the forgeries above and below: only what they change makes them fail.
        var service = CreateService();
        var credentials = service.CreateCredentials(NewDevice(1));
        var genuine = service.CreateToken(s_user, credentials);

        var copy = HandMadeJwt.Sign(HandMadeJwt.Payload(genuine), KeyOf(credentials), keyId: credentials.SigningCredentials.Key.KeyId);

        Assert.True(await IsAcceptedAsync(service, copy));
    }

    [Fact]
    public async Task Token_WithoutExp_SignedWithTheRightKey_IsRefused()
    {
        var service = CreateService();
        var credentials = service.CreateCredentials(NewDevice(1));
        var payload = HandMadeJwt.Payload(service.CreateToken(s_user, credentials));
        payload.Remove("exp");

        var forged = HandMadeJwt.Sign(payload, KeyOf(credentials), keyId: credentials.SigningCredentials.Key.KeyId);

        Assert.False(await IsAcceptedAsync(service, forged));
    }

    [Fact]
    public void IssuerAndAudience_WhenSet_AreWritten()
    {
        var service = CreateService(o => (o.Issuer, o.Audience) = ("https://auth.example.com", "mobile-app"));

        var token = service.CreateToken(s_user, service.CreateCredentials(NewDevice(1)));

        var payload = HandMadeJwt.Payload(token);
        Assert.Equal("https://auth.example.com", payload["iss"]!.GetValue<string>());
        Assert.Equal("mobile-app", payload["aud"]!.GetValue<string>());
    }

    [Fact]
    public void IssuerAndAudience_WhenNotSet_AreNotWritten()
    {
        var service = CreateService();

        var token = service.CreateToken(s_user, service.CreateCredentials(NewDevice(1)));

        var payload = HandMadeJwt.Payload(token);
        Assert.False(payload.ContainsKey("iss"));
        Assert.False(payload.ContainsKey("aud"));
    }

    [Fact]
    public async Task IssuerAndAudience_WhenSet_ATokenWithBoth_IsAccepted()
    {
        var service = CreateService(o => (o.Issuer, o.Audience) = ("https://auth.example.com", "mobile-app"));
        var credentials = service.CreateCredentials(NewDevice(1));

        var token = service.CreateToken(s_user, credentials);

        Assert.True(await IsAcceptedAsync(service, token));
    }

    [Theory]
    [InlineData("iss", "https://evil.example.com")]
    [InlineData("aud", "another-app")]
    [InlineData("iss", null)]
    [InlineData("aud", null)]
    public async Task IssuerAndAudience_WhenSet_AreRequired(string claim, string? value)
    {
        var service = CreateService(o => (o.Issuer, o.Audience) = ("https://auth.example.com", "mobile-app"));
        var credentials = service.CreateCredentials(NewDevice(1));
        var payload = HandMadeJwt.Payload(service.CreateToken(s_user, credentials));
        payload.Remove(claim);
        if (value is not null)
        {
            payload[claim] = value;
        }

        var forged = HandMadeJwt.Sign(payload, KeyOf(credentials), keyId: credentials.SigningCredentials.Key.KeyId);

        Assert.False(await IsAcceptedAsync(service, forged));
    }

    [Fact]
    public void Constructor_RefusesAShortMasterKey()
    {
        var options = Options.Create(new JwtDevicesOptions { SigningKey = Convert.ToBase64String(new byte[16]) });

        var error = Assert.Throws<OptionsValidationException>(() => new AccessTokenService(options, _time));

        Assert.Contains("JwtDevices:SigningKey", error.Message, StringComparison.Ordinal);
    }

    private AccessTokenService CreateService(Action<JwtDevicesOptions>? configure = null)
    {
        var options = new JwtDevicesOptions { SigningKey = MasterKey };
        configure?.Invoke(options);
        return new AccessTokenService(Options.Create(options), _time);
    }

    private static Device NewDevice(long id, byte[]? salt = null) => new()
    {
        Id = id,
        UserId = "42",
        Name = "test",
        Details = string.Empty,
        PermanentTokenHash = new byte[32],
        KeySalt = salt ?? RandomNumberGenerator.GetBytes(32),
    };

    private static byte[] KeyOf(DeviceCredentials credentials) =>
        ((SymmetricSecurityKey)credentials.SigningCredentials.Key).Key;

    // The key comes from the token's kid.
    private static async Task<bool> IsAcceptedAsync(AccessTokenService service, string token)
    {
        var jwt = service.TryRead(token);
        if (jwt is null)
        {
            return false;
        }
        var result = await service.ValidateAsync(jwt);
        return result.IsValid;
    }
}
