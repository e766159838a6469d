using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>
/// Sends the notification of a revocation on PostgreSQL: <c>pg_notify</c> in the transaction that writes the log
/// entries, so a rolled-back revocation notifies nothing and a committed one always does (PostgreSQL delivers
/// notifications at commit). Sent by the store rather than by a trigger so that it needs nothing in the
/// application's own migrations.
/// </summary>
/// <remarks>
/// The payload is this process's random id and nothing else: a listener skips its own process's notifications
/// (their revocations are applied already) and reads the log for any other. Any role that can connect may
/// NOTIFY, so a payload is never trusted with more than that.
/// </remarks>
internal sealed class PostgresRevocationNotifications(IOptions<JwtDevicesEntityFrameworkCoreOptions> options)
{
    /// <summary>The provider name of Npgsql's EF Core provider.</summary>
    public const string Provider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    private readonly JwtDevicesEntityFrameworkCoreOptions _options = options.Value;

    /// <summary>This process's id in notifications: random, never secret.</summary>
    public string ProcessId { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string Channel => _options.PostgresNotificationChannel;

    public bool IsOn(DatabaseFacade database) => _options.PostgresNotifications && database.ProviderName == Provider;

    /// <summary>Notifies the listening nodes, within the current transaction, when notifications are on.</summary>
    public async Task NotifyAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        if (IsOn(database))
        {
            await database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {ProcessId})", cancellationToken);
        }
    }
}
