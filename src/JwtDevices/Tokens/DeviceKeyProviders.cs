using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>
/// Signature providers for device keys. IdentityModel's shared cache keeps one per key and, past 1,000
/// keys, compacts on every new one, which costs far more than the HMAC itself; without it, every check
/// would make an HMAC instance. Instead each <see cref="DeviceSecurityKey"/> comes with its own verifying
/// provider (<see cref="DeviceSignatureProvider"/>, a one-shot HMAC with nothing to release), which goes
/// with the key when <see cref="DeviceKeys"/> lets the key go. Signing, once per token issued, makes
/// IdentityModel's own provider and releases it.
/// </summary>
internal sealed class DeviceKeyProviders : CryptoProviderFactory
{
    public static readonly DeviceKeyProviders Instance = new();

    private DeviceKeyProviders() => CacheSignatureProviders = false;

    public override SignatureProvider CreateForVerifying(SecurityKey key, string algorithm) =>
        key is DeviceSecurityKey deviceKey && algorithm == SecurityAlgorithms.HmacSha256
            ? deviceKey.VerifyingProvider
            : base.CreateForVerifying(key, algorithm);

    public override void ReleaseSignatureProvider(SignatureProvider signatureProvider)
    {
        // A device key's own provider lives as long as the key; every other one is released as usual.
        if (signatureProvider is not DeviceSignatureProvider)
        {
            base.ReleaseSignatureProvider(signatureProvider);
        }
    }
}
