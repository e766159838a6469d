using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.MessageReceived"/>. Set <see cref="Token"/> to authenticate
/// with a token found elsewhere, or end authentication with <c>Success</c>, <c>Fail</c> or <c>NoResult</c>.
/// </summary>
public class MessageReceivedContext(HttpContext context, AuthenticationScheme scheme, JwtDevicesOptions options)
    : ResultContext<JwtDevicesOptions>(context, scheme, options)
{
    /// <summary>The access token to validate; when empty, the <c>Authorization</c> header's is used.</summary>
    public string? Token { get; set; }
}
