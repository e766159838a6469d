namespace JwtDevices.Tokens;

/// <summary>A permanent token as a refresh presents it: of the seed's form, or of rotation's form.</summary>
/// <param name="Rotated">The parsed rotating form, or <see langword="null"/> for a seed-form token.</param>
/// <param name="Secret">What is hashed and what a successor is derived from: the body, or the whole seed-form token.</param>
/// <param name="Hash">SHA-256 of <paramref name="Secret"/>, as the store keeps it.</param>
internal sealed record PresentedPermanentToken(RotatedPermanentToken? Rotated, string Secret, byte[] Hash)
{
    /// <summary>Reads the header's value; <see langword="null"/> when it cannot be any token of ours.</summary>
    public static PresentedPermanentToken? TryRead(string token)
    {
        if (RotatedPermanentToken.TryParse(token, out var rotated))
        {
            return new PresentedPermanentToken(rotated, rotated.Body, RotatingPermanentTokens.Hash(rotated.Body));
        }
        return PermanentTokens.TryHash(token) is { } hash ? new PresentedPermanentToken(null, token, hash) : null;
    }
}
