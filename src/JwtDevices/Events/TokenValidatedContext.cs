using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices;

/// <summary>
/// The context of <see cref="JwtDevicesEvents.TokenValidated"/>: the token is good and its device not
/// revoked. Change <see cref="ResultContext{TOptions}.Principal"/>, or refuse the request with <c>Fail</c>.
/// </summary>
public class TokenValidatedContext(HttpContext context, AuthenticationScheme scheme, JwtDevicesOptions options, SecurityToken securityToken)
    : ResultContext<JwtDevicesOptions>(context, scheme, options)
{
    /// <summary>The validated token.</summary>
    public SecurityToken SecurityToken { get; } = securityToken;

    /// <summary>The token's device, or <see langword="null"/> in plain JWT mode.</summary>
    public long? DeviceId { get; init; }
}
