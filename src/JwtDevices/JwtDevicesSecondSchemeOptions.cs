using System.Collections;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace JwtDevices;

/// <summary>
/// A second JwtDevices scheme validates the same tokens with the same keys as the first: it starts from
/// the first scheme's settings, and start-up stops if its own configuration changes any of them. Only its
/// events and the base scheme options (forwarding, claims issuer) are its own.
/// </summary>
internal sealed class JwtDevicesSecondSchemeOptions(IServiceProvider services, JwtDevicesSharedOptions.Scheme shared)
    : IConfigureNamedOptions<JwtDevicesOptions>, IValidateOptions<JwtDevicesOptions>
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
                property.SetValue(options, property.GetValue(first));
            }
        }
    }

    public void Configure(JwtDevicesOptions options) => Configure(Options.DefaultName, options);

    public ValidateOptionsResult Validate(string? name, JwtDevicesOptions options)
    {
        if (!IsSecond(name))
        {
            return ValidateOptionsResult.Skip;
        }
        var first = FirstSchemeOptions();
        var changed = s_settings
            .Where(property => !SameValue(property.GetValue(first), property.GetValue(options)))
            .Select(property => property.Name)
            .ToList();
        return changed.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"JwtDevices scheme '{name}' changes {string.Join(", ", changed)}: every JwtDevices scheme uses the settings of the first, '{shared.Name}'. "
                + "Give a second scheme only its own Events.");
    }

    // Resolved when needed: the options monitor itself depends on this class.
    private JwtDevicesOptions FirstSchemeOptions() => services.GetRequiredService<IOptionsMonitor<JwtDevicesOptions>>().Get(shared.Name);

    private bool IsSecond(string? name) => !string.IsNullOrEmpty(name) && name != shared.Name;

    private static bool SameValue(object? first, object? second) =>
        first is IEnumerable firstItems and not string && second is IEnumerable secondItems and not string
            ? firstItems.Cast<object?>().SequenceEqual(secondItems.Cast<object?>())
            : Equals(first, second);
}
