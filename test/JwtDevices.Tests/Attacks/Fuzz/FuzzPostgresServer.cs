using JwtDevices.Server.Data;

namespace JwtDevices.Tests.Attacks.Fuzz;

/// <summary>The fuzzed server on PostgreSQL.</summary>
public sealed class FuzzPostgresServer() : FuzzServer(DatabaseProvider.Postgres);
