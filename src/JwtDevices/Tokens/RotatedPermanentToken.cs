using System.Globalization;

namespace JwtDevices.Tokens;

/// <summary>
/// A permanent token of the rotating form, <c>{device id}.{generation}.{body}</c>. The id only says where to
/// look; the body (a secret and a tag that binds it to the generation) is what is hashed and checked.
/// </summary>
/// <param name="DeviceId">The device the token names; not trusted until the body is checked.</param>
/// <param name="Generation">How many rotations came before this token.</param>
/// <param name="Body">Base64url of the secret and its tag.</param>
internal readonly record struct RotatedPermanentToken(long DeviceId, long Generation, string Body)
{
    /// <summary>Reads the rotating form; a seed-form token (no dots) or anything malformed is not one.</summary>
    public static bool TryParse(string token, out RotatedPermanentToken parsed)
    {
        parsed = default;
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var second = first < 0 ? -1 : token.IndexOf('.', first + 1);
        if (second < 0
            || !TryParseNumber(token.AsSpan(0, first), out var deviceId)
            || !TryParseNumber(token.AsSpan(first + 1, second - first - 1), out var generation))
        {
            return false;
        }
        var body = token[(second + 1)..];
        if (body.Length != RotatingPermanentTokens.BodyLength)
        {
            return false;
        }
        parsed = new RotatedPermanentToken(deviceId, generation, body);
        return true;
    }

    /// <summary>The token as the client holds it.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{DeviceId}.{Generation}.{Body}");

    // Digits only, at most 18 of them: no sign, no spaces, no overflow.
    private static bool TryParseNumber(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        return text.Length is > 0 and <= 18
            && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }
}
