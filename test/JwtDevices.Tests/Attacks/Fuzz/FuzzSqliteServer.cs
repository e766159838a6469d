using JwtDevices.Server.Data;

namespace JwtDevices.Tests.Attacks.Fuzz;

/// <summary>The fuzzed server on SQLite.</summary>
public sealed class FuzzSqliteServer() : FuzzServer(DatabaseProvider.Sqlite);
