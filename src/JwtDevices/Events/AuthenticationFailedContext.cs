using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.AuthenticationFailed"/>, as JwtBearer's: a token was presented
/// and refused. <see cref="Exception"/> tells why; left alone, the request is not authenticated and a challenge
/// answers 401. <c>Success</c>, <c>NoResult</c> or <c>Fail</c> decide otherwise.
/// </summary>
public class AuthenticationFailedContext(HttpContext context, AuthenticationScheme scheme, JwtDevicesOptions options, Exception exception)
    : ResultContext<JwtDevicesOptions>(context, scheme, options)
{
    /// <summary>
    /// Why the token was refused, with a fixed message and never the token: a
    /// <see cref="Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException"/> for an expired token (the
    /// client may refresh), a <see cref="Microsoft.IdentityModel.Tokens.SecurityTokenMalformedException"/> for
    /// text that is no signed JWT, else a <see cref="Microsoft.IdentityModel.Tokens.SecurityTokenValidationException"/>
    /// (a bad signature, another issuer or audience, or a device that was logged out; one kind, so that nothing
    /// tells whether a device exists).
    /// </summary>
    public Exception Exception { get; set; } = exception;
}
