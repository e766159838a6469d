using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>
/// Checks an HS256 signature with a device key through the one-shot <see cref="HMACSHA256.HashData(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/>:
/// no HMAC instance is made, kept or pooled per key, which at a million devices cost more than the check
/// itself. IdentityModel still does everything around it (reading the token, the algorithm allowed, the
/// key the <c>kid</c> names, lifetime, issuer, audience); this replaces only the HMAC. Verifying only:
/// device tokens are signed by IdentityModel's own provider.
/// </summary>
internal sealed class DeviceSignatureProvider : SignatureProvider
{
    private const int SignatureBytes = HMACSHA256.HashSizeInBytes;

    private readonly byte[] _key;

    public DeviceSignatureProvider(DeviceSecurityKey key, byte[] keyBytes) : base(key, SecurityAlgorithms.HmacSha256) =>
        _key = keyBytes;

    public override bool Verify(byte[] input, byte[] signature) =>
        IsSignature(input, signature);

    public override bool Verify(byte[] input, int inputOffset, int inputLength, byte[] signature, int signatureOffset, int signatureLength) =>
        IsSignature(input.AsSpan(inputOffset, inputLength), signature.AsSpan(signatureOffset, signatureLength));

    public override byte[] Sign(byte[] input) => throw new NotSupportedException("A device key's verifying provider does not sign.");

    protected override void Dispose(bool disposing)
    {
    }

    // The whole signature, never a prefix of it, compared in constant time.
    private bool IsSignature(ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureBytes)
        {
            return false;
        }
        Span<byte> expected = stackalloc byte[SignatureBytes];
        HMACSHA256.HashData(_key, input, expected);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }
}
