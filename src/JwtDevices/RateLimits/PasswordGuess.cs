using System.Threading.RateLimiting;

namespace JwtDevices.RateLimits;

/// <summary>
/// One password check, counted before the password is checked: it holds a slot of the (user name, client
/// address) limit and, for a client not known to have signed in as that user, of the per-name ceiling. A
/// failure keeps the slots for the window; a success gives them back and makes the client known.
/// </summary>
internal sealed class PasswordGuess : IDisposable
{
    private readonly KnownClients? _knownClients;
    private readonly string? _clientKey;
    private readonly RateLimitLease? _perClient;
    private readonly RateLimitLease? _perName;

    private PasswordGuess(RateLimitLease refusal) => Refusal = refusal;

    internal PasswordGuess(KnownClients knownClients, string clientKey, RateLimitLease perClient, RateLimitLease? perName)
    {
        _knownClients = knownClients;
        _clientKey = clientKey;
        _perClient = perClient;
        _perName = perName;
    }

    /// <summary>The refused lease, with its <c>Retry-After</c>, when the password must not be checked.</summary>
    public RateLimitLease? Refusal { get; }

    internal static PasswordGuess Refused(RateLimitLease refusal) => new(refusal);

    public void Failed()
    {
        Keep(_perClient);
        Keep(_perName);
    }

    public void Succeeded() => _knownClients?.Add(_clientKey!);

    public void Dispose()
    {
        Refusal?.Dispose();
        _perClient?.Dispose();
        _perName?.Dispose();
    }

    private static void Keep(RateLimitLease? lease) => (lease as SlidingLogClockLimiter.Reservation)?.Keep();
}
