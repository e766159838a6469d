using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace JwtDevices.Tokens;

/// <summary>
/// Access tokens whose signature, algorithm, issuer and audience have been checked, by their exact text, so
/// that a client's next request with the same token skips parsing and the HMAC. Only a token this node
/// validated itself gets in, and a hit needs the whole text to be equal, so a forgery can never be a hit;
/// lifetime and revocation are still checked on every request.
/// </summary>
/// <remarks>
/// Bounded and fair: a device (in plain JWT mode, a user) keeps at most <see cref="TokensPerOwner"/>
/// tokens here, its newest, so a client that refreshes ten thousand times replaces only its own entries
/// and pushes out no one else's. Only new devices take new room, and when the cache is full what goes is
/// the generation of tokens unused the longest (<see cref="GenerationalCache{TValue}"/>), never all of it.
/// </remarks>
internal sealed class ValidatedTokens
{
    /// <summary>Enough for the tokens a node's clients use within one access-token lifetime; an estimated 1.5 KB each.</summary>
    internal const int MaximumEntries = 10_000;

    /// <summary>The newest token and the one before it, which requests sent just before a refresh still carry.</summary>
    internal const int TokensPerOwner = 2;

    /// <summary>Our tokens are a few hundred characters; longer ones are not worth hashing to look up.</summary>
    internal const int MaximumTokenLength = 4_096;

    private readonly GenerationalCache<ValidatedToken> _tokens;
    private readonly GenerationalCache<OwnerTokens> _owners;
    private readonly SecondSight _seen;

    public ValidatedTokens()
        : this(MaximumEntries)
    {
    }

    /// <param name="capacity">The most tokens remembered.</param>
    internal ValidatedTokens(int capacity)
    {
        _tokens = new GenerationalCache<ValidatedToken>(capacity);
        // Every owner known has a token here, so there are never more owners worth knowing than tokens.
        _owners = new GenerationalCache<OwnerTokens>(capacity);
        _seen = new SecondSight(2 * capacity);
    }

    /// <summary>The tokens remembered now (one moved to the newer generation counts twice); for tests.</summary>
    internal int Count => _tokens.Count;

    public bool TryGet(string token, out ValidatedToken validated)
    {
        if (token.Length <= MaximumTokenLength && _tokens.TryGet(token, out validated))
        {
            return true;
        }
        validated = null!;
        return false;
    }

    /// <summary>
    /// Remembers a token that passed every check, from the second time it is validated on
    /// (<see cref="SecondSight"/>), with a copy of the claims of the identity its validation made;
    /// returns what this request and later ones use.
    /// </summary>
    /// <param name="token">The token's text.</param>
    /// <param name="jwt">The token, read.</param>
    /// <param name="identity">The identity its validation made, with <see cref="PrincipalClaims"/> added.</param>
    /// <param name="deviceId">The device it names, if any.</param>
    /// <param name="keyThumbprint">Its <c>cnf.jkt</c>, if any.</param>
    /// <param name="owner">Whose tokens share <see cref="TokensPerOwner"/> places: the device's id, or the user's in plain JWT mode.</param>
    public ValidatedToken Add(string token, JsonWebToken jwt, ClaimsIdentity identity, long? deviceId, string? keyThumbprint, string owner)
    {
        var notBefore = jwt.ValidFrom == DateTime.MinValue ? (DateTime?)null : jwt.ValidFrom;
        // The signature part tells tokens apart (an HMAC of all the rest) and is short to hash.
        if (token.Length > MaximumTokenLength || !_seen.SeenBefore(token.AsSpan(token.LastIndexOf('.') + 1)))
        {
            // Seen once so far, as nearly every token is at a million devices: no copy of its claims is made.
            return new ValidatedToken(jwt, null, identity.AuthenticationType, notBefore, jwt.ValidTo, deviceId, keyThumbprint);
        }
        var validated = new ValidatedToken(jwt, [.. identity.Claims], identity.AuthenticationType, notBefore, jwt.ValidTo, deviceId, keyThumbprint);
        if (!_owners.TryGet(owner, out var owned))
        {
            owned = _owners.AddOrGet(owner, new OwnerTokens());
        }
        var pushedOut = owned.Push(token);
        if (pushedOut is not null)
        {
            _tokens.Remove(pushedOut);
        }
        _tokens.Set(token, validated);
        return validated;
    }

    /// <summary>An owner's newest tokens, newest first.</summary>
    private sealed class OwnerTokens
    {
        private readonly string?[] _tokens = new string?[TokensPerOwner];

        /// <summary>Makes the token the newest; returns the one that no longer fits, if any.</summary>
        public string? Push(string token)
        {
            lock (_tokens)
            {
                if (Array.IndexOf(_tokens, token) >= 0)
                {
                    return null;
                }
                var pushedOut = _tokens[^1];
                Array.Copy(_tokens, 0, _tokens, 1, _tokens.Length - 1);
                _tokens[0] = token;
                return pushedOut;
            }
        }
    }
}

/// <summary>
/// What a validated token gave: its principal's claims (<see cref="PrincipalClaims"/>) when it is kept, its lifetime,
/// its device and the DPoP key that device is bound to (<c>cnf.jkt</c>), if any.
/// </summary>
internal sealed record ValidatedToken(
    JsonWebToken Jwt,
    Claim[]? Claims,
    string? AuthenticationType,
    DateTime? NotBefore,
    DateTime Expires,
    long? DeviceId,
    string? KeyThumbprint = null)
{
    // The token's ath, once a DPoP proof asked for it: a kept token's later requests reuse it.
    private string? _accessTokenHash;

    /// <summary>The DPoP <c>ath</c> of this token, whose text is <paramref name="token"/>: the hash is made once per validation.</summary>
    public string AccessTokenHash(string token) => _accessTokenHash ??= Dpop.DpopProofValidator.AccessTokenHash(token);

    /// <summary>A fresh identity per request of a kept token, since applications may add claims to theirs.</summary>
    public ClaimsIdentity CreateIdentity() =>
        new(Claims ?? throw new InvalidOperationException("Only a token kept in the cache has a copy of its claims."),
            AuthenticationType, PrincipalClaims.NameClaimType, PrincipalClaims.RoleClaimType);
}
