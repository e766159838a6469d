using System.Security.Claims;

namespace JwtDevices.Tokens;

/// <summary>
/// The claims of a validated token's principal: every claim of the token as it is on the wire, and next to
/// them the names ASP.NET Core looks for, as JwtBearer maps <c>sub</c>: <see cref="ClaimTypes.NameIdentifier"/>
/// from <c>user_id</c> (Identity's <c>UserManager.GetUserId</c>), <see cref="ClaimTypes.Name"/> from
/// <c>username</c>, a <see cref="ClaimTypes.Role"/> for each entry of <c>roles</c>
/// (<c>IsInRole</c>, <c>[Authorize(Roles = ...)]</c>), and <see cref="JwtDevicesClaimTypes.KeyThumbprint"/> from
/// <c>cnf.jkt</c>. Made once per validated token, not per request.
/// </summary>
internal static class PrincipalClaims
{
    /// <summary>The identity's name claim: <c>User.Identity.Name</c> is the user name.</summary>
    public const string NameClaimType = ClaimTypes.Name;

    /// <summary>The identity's role claim.</summary>
    public const string RoleClaimType = ClaimTypes.Role;

    public static Claim[] Of(IEnumerable<Claim> tokenClaims, string? keyThumbprint = null)
    {
        var claims = new List<Claim>();
        foreach (var claim in tokenClaims)
        {
            claims.Add(claim);
            var mapped = claim.Type switch
            {
                JwtDevicesClaimTypes.UserId => ClaimTypes.NameIdentifier,
                JwtDevicesClaimTypes.Username => NameClaimType,
                JwtDevicesClaimTypes.Roles => RoleClaimType,
                _ => null,
            };
            if (mapped is not null)
            {
                claims.Add(new Claim(mapped, claim.Value, claim.ValueType, claim.Issuer, claim.OriginalIssuer));
            }
        }
        if (keyThumbprint is not null)
        {
            claims.Add(new Claim(JwtDevicesClaimTypes.KeyThumbprint, keyThumbprint));
        }
        return [.. claims];
    }
}
