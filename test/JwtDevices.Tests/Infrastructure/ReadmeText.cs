using System.Text.RegularExpressions;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>Pieces of README.md: a section, its code blocks labelled with a file name, its <c>dotnet add package</c> lines.</summary>
internal static partial class ReadmeText
{
    /// <summary>The text of the <c>## title</c> section, up to the next <c>## </c> heading.</summary>
    public static string Section(string title)
    {
        var readme = Repository.Read("README.md");
        var start = readme.IndexOf($"\n## {title}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no section '## {title}'.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    /// <summary>Code blocks right after a line that names a file: <c>`Program.cs`:</c>.</summary>
    public static IReadOnlyDictionary<string, string> FileBlocks(string text) =>
        FileBlock().Matches(text).ToDictionary(m => m.Groups["file"].Value, m => m.Groups["code"].Value);

    /// <summary>Every <c>dotnet add package ID --version V</c> line, as id and version.</summary>
    public static IReadOnlyList<(string Id, string Version)> PackageLines(string text) =>
        [.. AddPackage().Matches(text).Select(m => (m.Groups["id"].Value, m.Groups["version"].Value))];

    /// <summary>Every <c>dotnet new nugetconfig</c> and <c>dotnet nuget ...</c> command, as its arguments after <c>dotnet</c>, comments left out.</summary>
    public static IReadOnlyList<string> NuGetCommands(string text) =>
        [.. NuGetCommand().Matches(text).Select(m => m.Groups["arguments"].Value.TrimEnd())];

    [GeneratedRegex(@"^dotnet (?<arguments>(new nugetconfig|nuget )[^#\n]*)", RegexOptions.Multiline)]
    private static partial Regex NuGetCommand();

    [GeneratedRegex(@"^`(?<file>[^`\n]+)`:\n```[a-z]*\n(?<code>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FileBlock();

    [GeneratedRegex(@"dotnet add package (?<id>[0-9A-Za-z._-]+) --version (?<version>[0-9A-Za-z.+-]+)")]
    private static partial Regex AddPackage();
}
