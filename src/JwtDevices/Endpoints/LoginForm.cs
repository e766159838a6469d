using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace JwtDevices.Endpoints;

/// <summary>Reads log-in credentials sent as JSON or as form data, as the seed accepted both.</summary>
internal static class LoginForm
{
    /// <summary>Credentials are small; anything larger is refused before it is read.</summary>
    internal const long MaximumBodyBytes = 16 * 1024;

    private static readonly FormOptions s_formOptions = new()
    {
        MultipartBodyLengthLimit = MaximumBodyBytes,
        ValueCountLimit = 64,
        ValueLengthLimit = (int)MaximumBodyBytes,
    };

    /// <summary>Returns the credentials, or the problem that tells the client what is wrong.</summary>
    public static async Task<(LoginRequest? Request, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaximumBodyBytes)
        {
            return (null, JwtDevicesProblems.BodyTooLarge(MaximumBodyBytes));
        }
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaximumBodyBytes;
        }

        try
        {
            if (request.HasJsonContentType())
            {
                if (!JsonContentType.IsUtf8(request.ContentType))
                {
                    return (null, JwtDevicesProblems.UnsupportedMediaType());
                }
                // Read as the UTF-8 it was checked to be: the framework's reader would look up the charset
                // again, and throws (a 500) for an empty one.
                var body = await JsonSerializer.DeserializeAsync(request.Body, JwtDevicesJsonContext.Default.LoginRequest, cancellationToken);
                return (body ?? new LoginRequest(null, null), null);
            }
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(s_formOptions, cancellationToken);
                return (new LoginRequest(form["username"].FirstOrDefault(), form["password"].FirstOrDefault()), null);
            }
        }
        catch (JsonException)
        {
            return (null, JwtDevicesProblems.MalformedBody());
        }
        catch (InvalidDataException)
        {
            return (null, JwtDevicesProblems.MalformedBody());
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, JwtDevicesProblems.BodyTooLarge(MaximumBodyBytes));
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // A multipart body that ends mid-part.
            return (null, JwtDevicesProblems.MalformedBody());
        }
        return (null, JwtDevicesProblems.UnsupportedMediaType());
    }
}
