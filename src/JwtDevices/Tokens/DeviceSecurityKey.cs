using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>A device's derived HS256 key, with the verifying provider that <see cref="DeviceKeyProviders"/> shares.</summary>
internal sealed class DeviceSecurityKey : SymmetricSecurityKey
{
    private readonly Lazy<SignatureProvider> _verifyingProvider;

    public DeviceSecurityKey(byte[] key, string keyId) : base(key)
    {
        KeyId = keyId;
        CryptoProviderFactory = DeviceKeyProviders.Instance;
        _verifyingProvider = new Lazy<SignatureProvider>(() => DeviceKeyProviders.Instance.CreateVerifyingProvider(this));
    }

    public SignatureProvider VerifyingProvider => _verifyingProvider.Value;
}
