using System.Security.Cryptography;
using System.Text.Json;

namespace JwtDevices.Client;

/// <summary>A JWT held in memory, with when to refresh it on the client's own clock and the DPoP key it is bound to.</summary>
internal sealed class AccessToken
{
    private AccessToken(string value, DateTimeOffset expires, DateTimeOffset refreshAt, ECDsa? dpopKey)
    {
        Value = value;
        Expires = expires;
        RefreshAt = refreshAt;
        DpopKey = dpopKey;
    }

    public string Value { get; }

    /// <summary>The key of a bound device: the JWT goes out as <c>DPoP</c> with a proof by it. <see langword="null"/> when unbound.</summary>
    public ECDsa? DpopKey { get; }

    public DateTimeOffset Expires { get; }

    public DateTimeOffset RefreshAt { get; }

    /// <summary>
    /// Reads the JWT's lifetime (<c>exp</c> − <c>iat</c>) and counts it from <paramref name="received"/>, the client's
    /// clock when the answer came: a phone whose clock is minutes off still refreshes on time. Without <c>iat</c>,
    /// <c>exp</c> is taken as it is. A JWT whose claims cannot be read is used until the server refuses it.
    /// </summary>
    public static AccessToken Read(string value, DateTimeOffset received, TimeSpan margin, ECDsa? dpopKey)
    {
        var claims = ReadClaims(value);
        if (claims?.Exp is not { } exp)
        {
            return new AccessToken(value, DateTimeOffset.MaxValue, DateTimeOffset.MaxValue, dpopKey);
        }
        var lifetime = claims.Iat is { } iat
            ? TimeSpan.FromSeconds(Math.Max(0, exp - iat))
            : DateTimeOffset.FromUnixTimeSeconds(exp) - received;
        var expires = received + lifetime;
        var refreshMargin = TimeSpan.FromTicks(Math.Min(margin.Ticks, lifetime.Ticks / 2));
        return new AccessToken(value, expires, expires - refreshMargin, dpopKey);
    }

    private static JwtClaims? ReadClaims(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        try
        {
            var payload = Base64UrlDecode(parts[1]);
            return JsonSerializer.Deserialize(payload, ClientJsonContext.Default.JwtClaims);
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
            return null;
        }
    }

    private static byte[] Base64UrlDecode(string text)
    {
#if NET10_0_OR_GREATER
        return System.Buffers.Text.Base64Url.DecodeFromChars(text);
#else
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException() };
        return Convert.FromBase64String(padded);
#endif
    }
}
