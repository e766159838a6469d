namespace JwtDevices;

/// <summary>
/// Marks an endpoint that may receive the <c>Permanent-Token</c> header. The permitted-headers
/// middleware refuses the header everywhere else.
/// </summary>
public sealed class PermanentTokenEndpointMetadata
{
    /// <summary>The one instance; the marker carries no data.</summary>
    public static PermanentTokenEndpointMetadata Instance { get; } = new();

    private PermanentTokenEndpointMetadata()
    {
    }
}
