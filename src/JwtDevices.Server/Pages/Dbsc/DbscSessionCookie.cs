using System.Buffers.Binary;
using System.Buffers.Text;
using Microsoft.Extensions.Options;
using CookieHeaderValue = Microsoft.Net.Http.Headers.CookieHeaderValue;

namespace JwtDevices.Server.Pages.Dbsc;

/// <summary>
/// The short-lived cookie of a bound session. It holds no permanent token: only a ticket naming the device and
/// its expiry, with an HMAC under a key derived from the master keys, so a copy is worth minutes at most and
/// only the browser holding the key can get the next one. Named and scoped as <see cref="PageSessionCookie"/>.
/// </summary>
internal sealed class DbscSessionCookie
{
    public const string Name = "__Host-jwtdevices_page_bound";

    /// <summary>The name in Development, where no prefix is possible over plain HTTP.</summary>
    public const string DevelopmentName = "jwtdevices_page_bound";

    /// <summary>The cookie's attributes as the session instructions repeat them; they must match the <c>Set-Cookie</c>.</summary>
    public const string Attributes = "Path=/; Secure; HttpOnly; SameSite=Strict";

    private const int DataBytes = sizeof(long) + sizeof(long);
    private const int MacBytes = 16;

    private readonly byte[][] _keys;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly bool _development;

    public DbscSessionCookie(IOptions<JwtDevicesOptions> options, IOptions<PageDbscOptions> dbsc, TimeProvider time, IHostEnvironment environment)
    {
        _keys = DbscKeys.Derive(options.Value, "cookie");
        // A device idle longer than PermanentTokenLifetime has ended, so a longer cookie would buy nothing.
        _lifetime = TimeSpan.FromTicks(Math.Min(dbsc.Value.CookieLifetime.Ticks, options.Value.PermanentTokenLifetime.Ticks));
        _time = time;
        _development = environment.IsDevelopment();
    }

    public string CookieName => _development ? DevelopmentName : Name;

    /// <summary>The device of a genuine, unexpired ticket, or <see langword="null"/> (none, expired, forged, or more than one cookie).</summary>
    public long? Read(HttpContext context)
    {
        if (!CookieHeaderValue.TryParseList(context.Request.Headers.Cookie, out var cookies)
            || cookies.Count(cookie => cookie.Name.Equals(CookieName, StringComparison.OrdinalIgnoreCase)) != 1)
        {
            return null;
        }
        var ticket = context.Request.Cookies[CookieName];
        Span<byte> bytes = stackalloc byte[DataBytes + MacBytes];
        if (ticket is null || ticket.Length > 64 || !Base64Url.TryDecodeFromChars(ticket, bytes, out var written) || written != bytes.Length
            || !DbscKeys.Verify(_keys, bytes[..DataBytes], bytes[DataBytes..]))
        {
            return null;
        }
        // The browser drops the cookie at its Max-Age; a copy kept past it is refused here.
        var expires = BinaryPrimitives.ReadInt64BigEndian(bytes[sizeof(long)..]);
        return expires > _time.GetUtcNow().ToUnixTimeMilliseconds() ? BinaryPrimitives.ReadInt64BigEndian(bytes) : null;
    }

    /// <summary>Sets a ticket for the device, good for <see cref="PageDbscOptions.CookieLifetime"/> (at most the device's idle lifetime).</summary>
    public void Write(HttpContext context, long deviceId)
    {
        Span<byte> bytes = stackalloc byte[DataBytes + MacBytes];
        BinaryPrimitives.WriteInt64BigEndian(bytes, deviceId);
        BinaryPrimitives.WriteInt64BigEndian(bytes[sizeof(long)..], (_time.GetUtcNow() + _lifetime).ToUnixTimeMilliseconds());
        DbscKeys.Sign(_keys[0], bytes[..DataBytes], bytes[DataBytes..]);
        context.Response.Cookies.Append(CookieName, Base64Url.EncodeToString(bytes), Options(_lifetime));
    }

    public void Delete(HttpContext context) => context.Response.Cookies.Delete(CookieName, Options(maxAge: null));

    // Always Secure: DBSC works over HTTPS alone.
    private static CookieOptions Options(TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = true,
        Path = PageSessionCookie.Path,
        MaxAge = maxAge,
        IsEssential = true,
    };
}
