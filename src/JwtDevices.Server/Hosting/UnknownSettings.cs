using System.Collections;
using System.ComponentModel;
using System.Reflection;
using JwtDevices.Server.Data;

namespace JwtDevices.Server.Hosting;

/// <summary>
/// Finds the settings of the server's own sections that nothing reads: the binder ignores a misspelled
/// <c>JwtDevices:AccesTokenLifetime</c>, and the server would run on the default. The known names come from
/// the options types by reflection (nested sections too), so a property added to them is known at once.
/// </summary>
internal static class UnknownSettings
{
    private static readonly (string Section, Names Known)[] s_sections =
    [
        (JwtDevicesDefaults.ConfigurationSection, Names.Of(typeof(JwtDevicesOptions)).With("Dpop", Names.Of(typeof(JwtDevicesDpopOptions)))),
        ($"Authentication:Schemes:{JwtDevicesDefaults.AuthenticationScheme}", Names.Of(typeof(JwtDevicesOptions))),
        (JwtDevicesRateLimitOptions.ConfigurationSection, Names.Of(typeof(JwtDevicesRateLimitOptions))),
        (ServerDatabase.Section, Names.Of(ServerDatabase.Settings)),
        (ServerForwardedHeaders.Section, Names.Of(ServerForwardedHeaders.Settings)),
        ("Pages", new Names(new(StringComparer.OrdinalIgnoreCase) { ["Dbsc"] = Names.Of(typeof(Pages.Dbsc.PageDbscOptions)) })),
    ];

    /// <summary>One line per unknown setting, naming the nearest known one.</summary>
    public static IReadOnlyList<string> Find(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (section, known) in s_sections)
        {
            Find(configuration.GetSection(section), known, problems);
        }
        return problems;
    }

    private static void Find(IConfigurationSection section, Names known, List<string> problems)
    {
        foreach (var child in section.GetChildren().OrderBy(child => child.Key, StringComparer.Ordinal))
        {
            // The binder matches names in any case.
            if (!known.Children.TryGetValue(child.Key, out var nested))
            {
                var nearest = known.Children.Keys.MinBy(name => Distance(name, child.Key));
                problems.Add(nearest is null
                    ? $"unknown setting {child.Path}; the section {section.Path} takes no settings."
                    : $"unknown setting {child.Path}; did you mean {section.Path}:{nearest}?");
            }
            else if (nested is not null)
            {
                Find(child, nested, problems);
            }
        }
    }

    // Levenshtein distance, ignoring case.
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + substitution);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>The names a section takes; for each, the names of its own section, or null when any key below it goes (a value, a list).</summary>
    private sealed class Names(Dictionary<string, Names?> children)
    {
        public Dictionary<string, Names?> Children { get; } = children;

        /// <summary>This section with a nested section bound by another options type (<c>JwtDevices:Dpop</c>).</summary>
        public Names With(string name, Names section)
        {
            Children[name] = section;
            return this;
        }

        public static Names Of(IEnumerable<string> names) =>
            new(names.ToDictionary(name => name, _ => (Names?)null, StringComparer.OrdinalIgnoreCase));

        public static Names Of(Type type, int depth = 0)
        {
            var children = new Dictionary<string, Names?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0)
                {
                    // A class the binder fills property by property is a section of its own (a depth cap guards against cycles).
                    children.TryAdd(property.Name, IsSection(property.PropertyType) && depth < 4 ? Of(property.PropertyType, depth + 1) : null);
                }
            }
            return new Names(children);
        }

        private static bool IsSection(Type type) =>
            type.IsClass && type != typeof(string) && type != typeof(object) && type != typeof(Type)
            && !typeof(IEnumerable).IsAssignableFrom(type) && !typeof(Delegate).IsAssignableFrom(type)
            && !TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));
    }
}
