using System.Collections.Concurrent;
using System.Diagnostics;

namespace JwtDevices.FaultDrill;

internal enum Operation
{
    LogIn,
    Refresh,
    Me,
    LogOut,
    RevocationProbe,
    FinalCheck,
}

/// <summary>One request: when it left, when its answer came (or the connection failed: status 0), and from which node.</summary>
internal sealed record Exchange(Operation Operation, string Node, TimeSpan Sent, TimeSpan Answered, int Status, string? Code);

/// <summary>A time span during which the drill had something broken on purpose.</summary>
internal sealed record FaultWindow(string What, TimeSpan Start, TimeSpan End);

/// <summary>
/// After a log-out answered 204 at <see cref="At"/> by one node, how long until the other node answered 401 to the
/// device's JWT (null: it never did, or it was down), and whether that was the answer to the first probe.
/// </summary>
internal sealed record RevocationSample(TimeSpan At, string OtherNode, TimeSpan? Refused, bool OtherWasDown, bool FirstProbeRefused);

/// <summary>A reading of <c>/health/ready</c>: "Healthy", "Degraded", "Unhealthy", or "down" when the node did not answer.</summary>
internal sealed record HealthReading(string Node, TimeSpan At, string Status);

/// <summary>Everything the drill saw, on one monotonic clock, for the checks at the end.</summary>
internal sealed class Ledger
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public TimeSpan Now => _clock.Elapsed;

    public ConcurrentQueue<Exchange> Exchanges { get; } = new();

    public ConcurrentQueue<DeviceRecord> Devices { get; } = new();

    public ConcurrentQueue<RevocationSample> Revocations { get; } = new();

    public ConcurrentQueue<HealthReading> Health { get; } = new();

    public ConcurrentQueue<FaultWindow> Faults { get; } = new();

    /// <summary>What went wrong during the load, one line each (device and what it got; never a token).</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    /// <summary>Log-ins whose answer never came (the node died under them): a device may exist that no client holds.</summary>
    public int UnansweredLogIns;

    /// <summary>Log-outs that were answered 401 on a retry: an earlier attempt, unanswered, had done it.</summary>
    public int LogOutsDoneByAnEarlierAttempt;

    /// <summary>Refresh answers dropped on purpose, and the retries with the old token that followed.</summary>
    public int DroppedAnswers;

    /// <summary>Retries of a refresh after a 503 or no answer, with the token the client still held.</summary>
    public int RetriedRefreshes;

    /// <summary>Retried refreshes answered with another successor than the dropped answer had: a second live chain.</summary>
    public int SecondSuccessors;

    /// <summary>Operations still answered 503 or not at all when the client's retry window ran out.</summary>
    public int GaveUp;
}

/// <summary>One device as its client knows it: the newest JWT and permanent token it was given.</summary>
internal sealed class DeviceRecord(long id, string jwt, string permanentToken)
{
    public long Id { get; } = id;

    public string Jwt { get; set; } = jwt;

    public string PermanentToken { get; set; } = permanentToken;

    public bool LoggedOut { get; set; }

    /// <summary>The client retried a refresh with a token it had already sent (an answer dropped, a 503, a cut connection).</summary>
    public bool Retried { get; set; }

    /// <summary>A refresh was answered 400 <c>permanent_token_reused</c>: the device was ended by reuse detection.</summary>
    public bool EndedByReuse { get; set; }

    /// <summary>The device stopped working during the load although its client never logged it out.</summary>
    public bool LostDuringLoad { get; set; }
}
