using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace JwtDevices.Server.Data;

/// <summary>
/// Applies the pending migrations one node at a time. On PostgreSQL, EF Core's own migration lock lasts one
/// migration's transaction, so nodes starting at once, with more than one migration pending, would apply the same
/// one twice ("column already exists"); a session advisory lock held over the whole run makes them take turns.
/// SQLite's lock (a table EF Core keeps) already spans the run.
/// </summary>
internal static class ServerMigrationLock
{
    public static async Task MigrateAsync(DbContext context, CancellationToken cancellationToken)
    {
        if (!context.Database.IsNpgsql())
        {
            await context.Database.MigrateAsync(cancellationToken);
            return;
        }

        // The lock needs a connection to the database, so create it first (empty) when it is missing.
        var creator = context.GetService<IRelationalDatabaseCreator>();
        if (!await creator.ExistsAsync(cancellationToken))
        {
            try
            {
                await creator.CreateAsync(cancellationToken);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another node created it first.
            }
        }

        await context.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await context.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7451826307510384969)", cancellationToken);
            try
            {
                // EF Core reads the history table before it creates it, and logs the failed read of a new
                // database as an error: made first (CREATE TABLE IF NOT EXISTS), nothing fails.
                await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
                await context.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                // The connection goes back to the pool with its session: release the lock explicitly.
                await context.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7451826307510384969)", CancellationToken.None);
            }
        }
        finally
        {
            await context.Database.CloseConnectionAsync();
        }
    }
}
