using JwtDevices.Server.Data;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Attacks;

/// <summary>The server on PostgreSQL with a clock skew of <see cref="TokenLifetimeAttackTests{TServer}.ClockSkew"/>.</summary>
public sealed class SkewedPostgresServer() : ServerFactory(DatabaseProvider.Postgres, ("JwtDevices:ClockSkew", "00:00:30"));
