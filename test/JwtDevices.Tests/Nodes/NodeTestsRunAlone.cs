namespace JwtDevices.Tests.Nodes;

/// <summary>
/// Tests that measure cross-node timings or stop Redis: they run alone, after the rest, so that nothing
/// else competes for the CPU while they measure or needs Redis while it is down.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NodeTestsRunAlone
{
    public const string Name = "Nodes on one database";
}
