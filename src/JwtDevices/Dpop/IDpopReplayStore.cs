namespace JwtDevices.Dpop;

/// <summary>
/// Remembers DPoP proofs across the nodes of a deployment, for example in Redis (<c>JwtDevices.StackExchangeRedis</c>),
/// so that a proof used on one node is refused on every other. Each node also keeps its own bounded cache,
/// checked first. Register one to share it; without one, each node refuses only the replays it sees.
/// </summary>
public interface IDpopReplayStore
{
    /// <summary>
    /// Adds <paramref name="key"/> for <paramref name="lifetime"/> only if it is not there already, in one atomic
    /// step (a read then a write is a race two nodes lose together). Must not throw when the store is down.
    /// </summary>
    /// <param name="key">A proof's key: 43 base64url characters, a hash of its key thumbprint and <c>jti</c>.</param>
    /// <param name="lifetime">How long to remember it.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    ValueTask<DpopReplayStoreResult> TryAddAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IDpopReplayStore.TryAddAsync"/> found.</summary>
public enum DpopReplayStoreResult
{
    /// <summary>The proof is new; it is now remembered.</summary>
    Added,

    /// <summary>The proof was seen before: a replay.</summary>
    Replayed,

    /// <summary>The store cannot be reached; <see cref="JwtDevicesDpopOptions.RefuseWhenReplayStoreDown"/> says what follows.</summary>
    Unavailable,
}
