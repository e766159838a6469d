namespace JwtDevices.EntityFrameworkCore;

/// <summary>
/// How nodes on one database learn of each other's revocations sooner than their poll of the revocation log
/// (<c>JwtDevices:RevocationPollInterval</c>). Neither way carries a revocation: each only makes the node read the
/// log at once, and the poll stays the safety net.
/// </summary>
public sealed class JwtDevicesEntityFrameworkCoreOptions
{
    /// <summary>The channel used when <see cref="PostgresNotificationChannel"/> is not set.</summary>
    public const string DefaultPostgresNotificationChannel = "jwtdevices_revocations";

    /// <summary>
    /// On PostgreSQL (Npgsql): every revocation is notified (<c>pg_notify</c>) in the transaction that writes its log
    /// entry, and every node listens on a connection of its own (<c>LISTEN</c>), so other nodes read the log within
    /// milliseconds, with no other service. Default: <see langword="true"/>. Ignored on other databases.
    /// </summary>
    public bool PostgresNotifications { get; set; } = true;

    /// <summary>
    /// The PostgreSQL notification channel: 1 to 63 ASCII letters, digits or underscores. Give deployments that share
    /// one database (in different schemas) different channels. Default: <c>jwtdevices_revocations</c>.
    /// </summary>
    public string PostgresNotificationChannel { get; set; } = DefaultPostgresNotificationChannel;

    /// <summary>
    /// On SQLite: how often a node asks the database file whether another connection committed
    /// (<c>PRAGMA data_version</c>, answered from memory), and reads the revocation log only when one did; so a
    /// revocation by another process (the command line, another server process on the same file) is refused
    /// within about this interval. <see cref="TimeSpan.Zero"/> turns it off. Default: 250 milliseconds; at most
    /// a minute. Ignored on other databases.
    /// </summary>
    public TimeSpan SqliteChangeCheckInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
