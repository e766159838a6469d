using JwtDevices.Server.Data;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Tests;

/// <summary>The server's migrations, per provider: they cover the model, and build the schema on an empty database.</summary>
public abstract class MigrationTests<TServer>(TServer server) : IClassFixture<TServer>
    where TServer : ServerFactory
{
    [Fact]
    public async Task Model_HasNoChangeThatNoMigrationCovers()
    {
        var pending = await server.WithDatabaseAsync(db => Task.FromResult(db.Database.HasPendingModelChanges()));

        Assert.False(pending, $"The model has changes that no {server.Provider} migration covers: run dotnet ef migrations add.");
    }

    [Fact]
    public async Task EmptyDatabase_IsMigratedToTheLatestMigration_AtStartUp()
    {
        var (known, applied) = await server.WithDatabaseAsync(async db => (
            db.Database.GetMigrations().ToList(),
            await db.Database.SqlQueryRaw<string>("""SELECT "MigrationId" AS "Value" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """).ToListAsync()));

        Assert.Contains(known, id => id.EndsWith("_InitialSchema", StringComparison.Ordinal));
        Assert.Equal(known, applied);
    }

    [Fact]
    public async Task ANewDatabase_IsMigrated_WithoutAnErrorInTheLog()
    {
        await using var node = server.WithOwnDatabase();

        node.CreateClient().Dispose();

        // Such as EF Core's failed read of a history table that does not exist yet, on PostgreSQL.
        Assert.DoesNotContain(node.LogLines, line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Critical", StringComparison.Ordinal));
        Assert.Contains(node.LogLines, line => line.Contains("Lifetimes in force", StringComparison.Ordinal)); // it did start
    }

    [Fact]
    public async Task NodesStartingAtOnce_OnAnEmptyDatabase_MigrateItOnce_AndAllStart()
    {
        await using var first = server.WithOwnDatabase();
        first.CreateEmptyDatabase();
        await using var second = first.OnSameDatabase();
        await using var third = first.OnSameDatabase();

        // Each node migrates at start-up, under EF Core's migration lock.
        await Task.WhenAll(new[] { first, second, third }.Select(node => Task.Run(() => node.CreateClient().Dispose())));

        var (known, applied) = await first.WithDatabaseAsync(async db => (
            db.Database.GetMigrations().ToList(),
            await db.Database.SqlQueryRaw<string>("""SELECT "MigrationId" AS "Value" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """).ToListAsync()));
        Assert.Equal(known, applied);
    }

    [Fact]
    public async Task Schema_HasAnIndexPerQuery_AndTheUserForeignKey()
    {
        var indexes = await server.WithDatabaseAsync(db => db.Database.SqlQueryRaw<string>(server.Provider == DatabaseProvider.Sqlite
            ? """SELECT name AS "Value" FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'jwt_%'"""
            : """SELECT indexname AS "Value" FROM pg_indexes WHERE tablename LIKE 'jwt_%'""").ToListAsync());

        Assert.Superset(
            new HashSet<string>(["IX_jwt_devices_PermanentTokenHash", "IX_jwt_devices_UserId", "IX_jwt_devices_OwnerId",
                "IX_jwt_devices_LastRequest", "IX_jwt_device_revocations_RevokedAt"]),
            new HashSet<string>(indexes));
    }
}

public sealed class MigrationsOnSqlite(SqliteServer server) : MigrationTests<SqliteServer>(server);

[RequiresService(TestServices.Postgres)]
public sealed class MigrationsOnPostgres(PostgresServer server) : MigrationTests<PostgresServer>(server);
