using JwtDevices.Server.Data;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Attacks;

/// <summary>The server on SQLite with a clock skew of <see cref="TokenLifetimeAttackTests{TServer}.ClockSkew"/>.</summary>
public sealed class SkewedSqliteServer() : ServerFactory(DatabaseProvider.Sqlite, ("JwtDevices:ClockSkew", "00:00:30"));
