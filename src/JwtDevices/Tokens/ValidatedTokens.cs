using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace JwtDevices.Tokens;

/// <summary>
/// Access tokens whose signature, algorithm, issuer and audience have been checked, by their exact text, so
/// that a client's next request with the same token skips parsing and the HMAC. Only a token this node
/// validated itself gets in, and a hit needs the whole text to be equal, so a forgery can never be a hit;
/// lifetime and revocation are still checked on every request. Bounded: when full it starts afresh, which
/// costs only the validations it saved.
/// </summary>
internal sealed class ValidatedTokens
{
    /// <summary>Enough for the tokens a node's clients use within one access-token lifetime; an estimated 1.5 KB each.</summary>
    internal const int MaximumEntries = 10_000;

    /// <summary>Our tokens are a few hundred characters; longer ones are not worth hashing to look up.</summary>
    internal const int MaximumTokenLength = 4_096;

    private readonly ConcurrentDictionary<string, ValidatedToken> _tokens = new(StringComparer.Ordinal);

    public bool TryGet(string token, out ValidatedToken validated)
    {
        if (token.Length <= MaximumTokenLength && _tokens.TryGetValue(token, out var found))
        {
            validated = found;
            return true;
        }
        validated = null!;
        return false;
    }

    /// <summary>Remembers a token that passed every check; returns what a later request will find.</summary>
    public ValidatedToken Add(string token, JsonWebToken jwt, ClaimsIdentity identity, long? deviceId)
    {
        var keyThumbprint = AccessTokenService.KeyThumbprintOf(jwt);
        var validated = new ValidatedToken(jwt, PrincipalClaims.Of(identity.Claims, keyThumbprint), identity.AuthenticationType,
            jwt.ValidFrom == DateTime.MinValue ? null : jwt.ValidFrom, jwt.ValidTo, deviceId, keyThumbprint);
        if (token.Length <= MaximumTokenLength)
        {
            if (_tokens.Count >= MaximumEntries)
            {
                _tokens.Clear();
            }
            _tokens[token] = validated;
        }
        return validated;
    }
}

/// <summary>
/// What a validated token gave: its principal's claims (<see cref="PrincipalClaims"/>), its lifetime, its device and
/// the DPoP key that device is bound to (<c>cnf.jkt</c>), if any.
/// </summary>
internal sealed record ValidatedToken(
    JsonWebToken Jwt,
    Claim[] Claims,
    string? AuthenticationType,
    DateTime? NotBefore,
    DateTime Expires,
    long? DeviceId,
    string? KeyThumbprint = null)
{
    /// <summary>A fresh identity per request, since applications may add claims to theirs.</summary>
    public ClaimsIdentity CreateIdentity() => new(Claims, AuthenticationType, PrincipalClaims.NameClaimType, PrincipalClaims.RoleClaimType);
}
