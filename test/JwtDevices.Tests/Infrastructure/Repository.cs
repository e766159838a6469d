using System.Xml.Linq;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>The repository's own files, as tests that keep docs and builds honest read them.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A file's text with <c>\n</c> line endings.</summary>
    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts)).ReplaceLineEndings("\n");

    /// <summary>The packages' version, <c>VersionPrefix</c> in <c>Directory.Build.props</c>.</summary>
    public static string PackageVersion =>
        XDocument.Load(PathOf("Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

    /// <summary>
    /// The versions pinned in <c>Directory.Packages.props</c> for net10.0 (the apps the docs make), with <c>$(Property)</c>
    /// references resolved; a pin conditioned on another target framework (the client's net8.0 one) is left out.
    /// </summary>
    public static IReadOnlyDictionary<string, string> PinnedVersions()
    {
        var props = XDocument.Load(PathOf("Directory.Packages.props"));
        var properties = props.Descendants("PropertyGroup").Elements().ToDictionary(e => e.Name.LocalName, e => e.Value);
        return props.Descendants("PackageVersion").Where(AppliesToNet10).ToDictionary(
            e => (string)e.Attribute("Include")!,
            e => properties.Aggregate((string)e.Attribute("Version")!, (version, p) => version.Replace($"$({p.Key})", p.Value, StringComparison.Ordinal)));
    }

    private static bool AppliesToNet10(XElement pin) =>
        (string?)pin.Attribute("Condition") switch
        {
            null => true,
            var condition when condition.Contains("' == '", StringComparison.Ordinal) => condition.EndsWith("'net10.0'", StringComparison.Ordinal),
            var condition => !condition.EndsWith("'net10.0'", StringComparison.Ordinal),
        };

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "JwtDevices.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("The repository root (JwtDevices.slnx) was not found.");
    }
}
