using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>A device's derived HS256 key, with the verifying provider that <see cref="DeviceKeyProviders"/> shares.</summary>
internal sealed class DeviceSecurityKey : SymmetricSecurityKey
{
    /// <param name="key">The derived key, 32 bytes, owned by this key from now on.</param>
    /// <param name="keyId">The salt in base64url, as the token's <c>kid</c> names it.</param>
    public DeviceSecurityKey(byte[] key, string keyId) : base(key)
    {
        KeyId = keyId;
        CryptoProviderFactory = DeviceKeyProviders.Instance;
        // The base class keeps a copy it hands out only as further copies; the provider reads this one.
        VerifyingProvider = new DeviceSignatureProvider(this, key);
    }

    public SignatureProvider VerifyingProvider { get; }
}
