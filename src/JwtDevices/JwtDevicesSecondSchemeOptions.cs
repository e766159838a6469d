using System.Collections;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JwtDevices;

/// <summary>
/// A second JwtDevices scheme validates the same tokens with the same keys as the first: it starts from
/// the first scheme's settings, and start-up stops if its own configuration changes any of them (see
/// <see cref="EnsureShared"/>). Only its events and the base scheme options (forwarding, claims issuer)
/// are its own. The unnamed options
/// (<c>IOptionsMonitor&lt;JwtDevicesOptions&gt;.CurrentValue</c>) are made the same way, so that code reading
/// them sees the settings in use rather than unbound defaults.
/// </summary>
internal sealed class JwtDevicesSecondSchemeOptions(IServiceProvider services, JwtDevicesSharedOptions.Scheme shared)
    : IConfigureNamedOptions<JwtDevicesOptions>
{
    // Every JwtDevices setting, whoever adds it later; the events are each scheme's own.
    private static readonly PropertyInfo[] s_settings = typeof(JwtDevicesOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        .Where(property => property.CanRead && property.CanWrite && property.Name != nameof(JwtDevicesOptions.Events))
        .ToArray();

    public void Configure(string? name, JwtDevicesOptions options)
    {
        if (IsSecond(name))
        {
            var first = FirstSchemeOptions();
            foreach (var property in s_settings)
            {
                property.SetValue(options, CopyOf(property.GetValue(first)));
            }
        }
    }

    public void Configure(JwtDevicesOptions options) => Configure(Options.DefaultName, options);

    /// <summary>
    /// Stops start-up when a second scheme's own configuration changed a shared setting. Runs right after
    /// that configuration, before any post-configuration, so only the application's changes count.
    /// </summary>
    /// <exception cref="OptionsValidationException">A shared setting differs from the first scheme's.</exception>
    public void EnsureShared(string name, JwtDevicesOptions options)
    {
        var first = FirstSchemeOptions();
        var changed = s_settings
            .Where(property => !SameValue(property.GetValue(first), property.GetValue(options)))
            .Select(property => property.Name)
            .ToList();
        if (changed.Count > 0)
        {
            throw new OptionsValidationException(name, typeof(JwtDevicesOptions),
            [
                $"JwtDevices scheme '{name}' changes {string.Join(", ", changed)}: every JwtDevices scheme uses the settings of the first, "
                + $"'{shared.Name}'. Give a second scheme only its own Events.",
            ]);
        }
    }

    // Resolved when needed: the options monitor itself depends on this class.
    private JwtDevicesOptions FirstSchemeOptions() => services.GetRequiredService<IOptionsMonitor<JwtDevicesOptions>>().Get(shared.Name);

    private bool IsSecond(string? name) => (name ?? Options.DefaultName) != shared.Name;

    // A list is copied, so that post-configuring one scheme's settings cannot change another's.
    private static object? CopyOf(object? value) => value switch
    {
        IList<string> list => new List<string>(list),
        Array array => array.Clone(),
        _ => value,
    };

    private static bool SameValue(object? first, object? second) =>
        first is IEnumerable firstItems and not string && second is IEnumerable secondItems and not string
            ? firstItems.Cast<object?>().SequenceEqual(secondItems.Cast<object?>())
            : Equals(first, second);
}
