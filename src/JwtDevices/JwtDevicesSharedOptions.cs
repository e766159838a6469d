using Microsoft.Extensions.Options;

namespace JwtDevices;

/// <summary>
/// The settings of the first JwtDevices scheme added, which the endpoints and the shared services (token
/// issue, devices, revocation) use. Registered as <see cref="IOptions{TOptions}"/> of
/// <see cref="JwtDevicesOptions"/>, so that <c>IOptions&lt;JwtDevicesOptions&gt;</c> means those settings.
/// Read once: the shared services keep what they derive from them (keys, intervals) for their lifetime.
/// </summary>
internal sealed class JwtDevicesSharedOptions(IOptionsMonitor<JwtDevicesOptions> monitor, JwtDevicesSharedOptions.Scheme scheme)
    : IOptions<JwtDevicesOptions>
{
    private JwtDevicesOptions? _value;

    public JwtDevicesOptions Value => _value ??= monitor.Get(scheme.Name);

    /// <summary>The name of the scheme whose settings are shared: the first JwtDevices scheme added.</summary>
    internal sealed record Scheme(string Name);
}
