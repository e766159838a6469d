using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tokens;

/// <summary>
/// Validation parameters whose identity is a plain <see cref="ClaimsIdentity"/> named as <see cref="PrincipalClaims"/>
/// says, the same kind a cached token's requests get, rather than IdentityModel's case-sensitive one: so the first
/// request of a token uses the identity its validation made, and no request copies claims twice.
/// </summary>
internal sealed class DeviceTokenValidationParameters : TokenValidationParameters
{
    public DeviceTokenValidationParameters()
    {
    }

    private DeviceTokenValidationParameters(DeviceTokenValidationParameters other)
        : base(other)
    {
    }

    public override TokenValidationParameters Clone() => new DeviceTokenValidationParameters(this);

    public override ClaimsIdentity CreateClaimsIdentity(SecurityToken securityToken, string issuer) =>
        new(AuthenticationType, PrincipalClaims.NameClaimType, PrincipalClaims.RoleClaimType);
}
