using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.Challenge"/>: what the 401 answer will say. Change
/// <see cref="Error"/> or <see cref="ErrorDescription"/>, or call <see cref="HandleResponse"/> and write
/// the answer yourself.
/// </summary>
public class JwtDevicesChallengeContext(HttpContext context, AuthenticationScheme scheme, JwtDevicesOptions options, AuthenticationProperties properties)
    : PropertiesContext<JwtDevicesOptions>(context, scheme, options, properties)
{
    /// <summary>Why authentication failed, or <see langword="null"/> when the request carried no token.</summary>
    public Exception? AuthenticateFailure { get; set; }

    /// <summary>The <c>error</c> of the <c>WWW-Authenticate</c> header: <c>invalid_token</c> after a failure.</summary>
    public string? Error { get; set; }

    /// <summary>The <c>error_description</c> of the header and the <c>detail</c> of the problem body: a fixed text.</summary>
    public string? ErrorDescription { get; set; }

    /// <summary>Whether the application wrote the answer itself.</summary>
    public bool Handled { get; private set; }

    /// <summary>Skips the default 401 answer: the application writes its own.</summary>
    public void HandleResponse() => Handled = true;
}
