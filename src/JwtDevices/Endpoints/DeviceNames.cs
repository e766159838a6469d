using Microsoft.AspNetCore.Http;

namespace JwtDevices.Endpoints;

/// <summary>Names a new device from its request, as the seed did.</summary>
internal static class DeviceNames
{
    /// <summary>The seed's column width; longer input is cut, never refused.</summary>
    internal const int MaximumLength = 255;

    /// <summary>
    /// With <c>X-Device-Model</c>, the model is the name and the User-Agent the details; without it the
    /// User-Agent is the name and the details are empty.
    /// </summary>
    public static (string Name, string Details) FromRequest(HttpRequest request)
    {
        var model = request.Headers[JwtDevicesDefaults.DeviceModelHeader].ToString();
        var userAgent = request.Headers.UserAgent.ToString();
        return string.IsNullOrEmpty(model)
            ? (Cut(userAgent), string.Empty)
            : (Cut(model), Cut(userAgent));
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
