using JwtDevices.Server.Data;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// The server on a fresh PostgreSQL database: the fixture of the <c>*OnPostgres</c> test classes, which
/// are marked <c>[RequiresService(TestServices.Postgres)]</c>.
/// </summary>
public sealed class PostgresServer() : ServerFactory(DatabaseProvider.Postgres);
