using JwtDevices.Server.Data;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>The server on a fresh SQLite file: the fixture of the <c>*OnSqlite</c> test classes.</summary>
public sealed class SqliteServer() : ServerFactory(DatabaseProvider.Sqlite);
