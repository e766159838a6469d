using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace JwtDevices.Endpoints;

/// <summary>Reads and checks the new name of a device: a JSON body <c>{"name": "..."}</c>.</summary>
internal static class RenameForm
{
    /// <summary>A name is short; anything larger is refused before it is read.</summary>
    internal const long MaximumBodyBytes = 4 * 1024;

    /// <summary>Returns the name, trimmed, or the problem that tells the client what is wrong.</summary>
    public static async Task<(string? Name, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaximumBodyBytes)
        {
            return (null, JwtDevicesProblems.BodyTooLarge(MaximumBodyBytes));
        }
        if (!request.HasJsonContentType() || !JsonContentType.IsUtf8(request.ContentType))
        {
            return (null, JwtDevicesProblems.UnsupportedMediaType());
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaximumBodyBytes;
        }

        RenameRequest? body;
        try
        {
            // Read as the UTF-8 it was checked to be: the framework's reader would look up the charset
            // again, and throws (a 500) for an empty one.
            body = await JsonSerializer.DeserializeAsync(request.Body, JwtDevicesJsonContext.Default.RenameRequest, cancellationToken);
        }
        catch (JsonException)
        {
            return (null, JwtDevicesProblems.MalformedBody());
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, JwtDevicesProblems.BodyTooLarge(MaximumBodyBytes));
        }

        if (body?.Name is null)
        {
            return (null, JwtDevicesProblems.RequiredFields(["name"]));
        }
        var name = body.Name.Trim();
        return IsValid(name) ? (name, null) : (null, JwtDevicesProblems.InvalidDeviceName());
    }

    // A lone surrogate could not be stored as UTF-8, so it is refused with the rest.
    internal static bool IsValid(string name)
    {
        if (name.Length is 0 or > DeviceNames.MaximumLength)
        {
            return false;
        }
        var rest = name.AsSpan();
        while (!rest.IsEmpty)
        {
            if (System.Text.Rune.DecodeFromUtf16(rest, out var rune, out var used) != System.Buffers.OperationStatus.Done
                || System.Text.Rune.IsControl(rune))
            {
                return false;
            }
            rest = rest[used..];
        }
        return true;
    }
}
