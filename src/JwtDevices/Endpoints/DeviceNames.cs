using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace JwtDevices.Endpoints;

/// <summary>Names a new device from its request, as the seed did.</summary>
internal static class DeviceNames
{
    /// <summary>The seed's column width; longer input is cut, never refused.</summary>
    internal const int MaximumLength = 255;

    /// <summary>
    /// With <c>X-Device-Model</c>, the model is the name and the User-Agent the details; without it the
    /// User-Agent is the name and the details are empty. Both are <see cref="Clean"/>ed.
    /// </summary>
    public static (string Name, string Details) FromRequest(HttpRequest request)
    {
        var model = Clean(request.Headers[JwtDevicesDefaults.DeviceModelHeader].ToString());
        var userAgent = Clean(request.Headers.UserAgent.ToString());
        return model.Length == 0
            ? (userAgent, string.Empty)
            : (model, userAgent);
    }

    /// <summary>
    /// A client's text as a device's name or details, such as a rename accepts: control characters (ESC
    /// sequences would reach an administrator's terminal) and broken surrogate pairs are dropped, then the
    /// text is trimmed and cut to <see cref="MaximumLength"/>. A log-in never fails for its headers.
    /// </summary>
    internal static string Clean(string value)
    {
        var kept = new StringBuilder(value.Length);
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            var status = Rune.DecodeFromUtf16(rest, out var rune, out var used);
            if (status == OperationStatus.Done && !Rune.IsControl(rune))
            {
                kept.Append(rest[..used]);
            }
            rest = rest[used..];
        }
        return Cut(kept.ToString().Trim()).TrimEnd();
    }

    internal static string Cut(string value)
    {
        if (value.Length <= MaximumLength)
        {
            return value;
        }
        // Never keep half of a surrogate pair.
        var length = char.IsHighSurrogate(value[MaximumLength - 1]) ? MaximumLength - 1 : MaximumLength;
        return value[..length];
    }
}
