using Npgsql;

namespace JwtDevices.Server;

/// <summary>
/// Holds a PostgreSQL session-level advisory lock while a node migrates. EF Core's own migration lock on
/// PostgreSQL lasts one migration's transaction, so nodes starting at once could each apply the second of two
/// pending migrations; with this lock one node applies them all and the others then find none pending.
/// </summary>
internal sealed class PostgresMigrationLock : IAsyncDisposable
{
    // Any fixed number: every node of one deployment must use the same one.
    private const long Key = 0x4A5744_6D6967; // "JWD" "mig"

    private readonly NpgsqlConnection? _connection;

    private PostgresMigrationLock(NpgsqlConnection? connection) => _connection = connection;

    /// <summary>Waits for the lock. A database that does not exist yet has nothing to race over: no lock then.</summary>
    public static async Task<PostgresMigrationLock> AcquireAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Unpooled, so that closing it ends the session and with it the lock.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            await connection.DisposeAsync();
            return new PostgresMigrationLock(null);
        }
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", Key);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new PostgresMigrationLock(connection);
    }

    // Ending the session releases the lock.
    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
