namespace JwtDevices.Revocation;

/// <summary>
/// Learns that the revocation log may have changed sooner than the node's poll would, for example through
/// PostgreSQL's <c>LISTEN</c>/<c>NOTIFY</c> or SQLite's <c>PRAGMA data_version</c> (<c>JwtDevices.EntityFrameworkCore</c>
/// registers one). What it reports is only a hint: the node then reads the log, which stays the authority, so
/// whoever can make it fire can cost the node reads of the log (at most one per <c>50 ms</c>) but can neither
/// revoke a device nor hide a revocation. The poll every <see cref="JwtDevicesOptions.RevocationPollInterval"/>
/// stays the safety net while the watcher is down.
/// </summary>
public interface IDeviceRevocationLogWatcher
{
    /// <summary>Whether changes made by other processes are watched now; false while it is off or reconnecting.</summary>
    bool IsWatching { get; }

    /// <summary>
    /// Starts watching, before the node first reads the log. Returns once the first attempt is over; must not fail
    /// when the database is down, but keep trying in the background. Calls <paramref name="logChanged"/>
    /// whenever the log may hold entries this node has not read, including after it watches again following an
    /// outage; the node then reads the log at once.
    /// </summary>
    /// <param name="logChanged">Asks the node to read the log; cheap, and safe to call from any thread at any rate.</param>
    /// <param name="cancellationToken">Cancels the first attempt.</param>
    ValueTask StartAsync(Action logChanged, CancellationToken cancellationToken);
}
