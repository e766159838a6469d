namespace JwtDevices.Client;

/// <summary>Keeps the permanent token (and a bound device's <c>ECDsa</c> key object) in memory: the user signs in again when the process ends. The default.</summary>
public sealed class InMemoryJwtDevicesTokenStore : IJwtDevicesTokenStore
{
    private volatile JwtDevicesStoredToken? _token;

    /// <inheritdoc />
    public ValueTask<JwtDevicesStoredToken?> LoadAsync(CancellationToken cancellationToken) => new(_token);

    /// <inheritdoc />
    public ValueTask SaveAsync(JwtDevicesStoredToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        _token = token;
        return default;
    }

    /// <inheritdoc />
    public ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        _token = null;
        return default;
    }
}
