namespace JwtDevices.Tests.Rotation;

/// <summary>The concurrency tests send 64 requests at once: their two providers take turns rather than compete.</summary>
[CollectionDefinition(Name)]
public sealed class ConcurrencyTestsRunAlone
{
    public const string Name = "Concurrency on one device";
}
