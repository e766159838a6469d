using System.Security.Claims;

namespace JwtDevices.Tokens;

/// <summary>
/// The claims of a validated token's principal: every claim of the token as it is on the wire, and next to
/// them the names ASP.NET Core looks for, as JwtBearer maps <c>sub</c>: <see cref="ClaimTypes.NameIdentifier"/>
/// from <c>user_id</c> (Identity's <c>UserManager.GetUserId</c>), <see cref="ClaimTypes.Name"/> from
/// <c>username</c>, a <see cref="ClaimTypes.Role"/> for each entry of <c>roles</c>
/// (<c>IsInRole</c>, <c>[Authorize(Roles = ...)]</c>), and <see cref="JwtDevicesClaimTypes.KeyThumbprint"/> from
/// <c>cnf.jkt</c>. Added once per validation, to the identity it made; a cached token's requests copy the result.
/// </summary>
internal static class PrincipalClaims
{
    /// <summary>The identity's name claim: <c>User.Identity.Name</c> is the user name.</summary>
    public const string NameClaimType = ClaimTypes.Name;

    /// <summary>The identity's role claim.</summary>
    public const string RoleClaimType = ClaimTypes.Role;

    /// <summary>Adds the mapped claims to an identity that holds a token's claims and nothing else yet.</summary>
    public static void AddTo(ClaimsIdentity identity, string? keyThumbprint)
    {
        var mapped = new List<Claim>(4);
        foreach (var claim in identity.Claims)
        {
            var type = claim.Type switch
            {
                JwtDevicesClaimTypes.UserId => ClaimTypes.NameIdentifier,
                JwtDevicesClaimTypes.Username => NameClaimType,
                JwtDevicesClaimTypes.Roles => RoleClaimType,
                _ => null,
            };
            if (type is not null)
            {
                // Made with the identity as subject, so that adding it copies nothing.
                mapped.Add(new Claim(type, claim.Value, claim.ValueType, claim.Issuer, claim.OriginalIssuer, identity));
            }
        }
        if (keyThumbprint is not null)
        {
            mapped.Add(new Claim(JwtDevicesClaimTypes.KeyThumbprint, keyThumbprint, ClaimValueTypes.String,
                ClaimsIdentity.DefaultIssuer, ClaimsIdentity.DefaultIssuer, identity));
        }
        identity.AddClaims(mapped);
    }
}
