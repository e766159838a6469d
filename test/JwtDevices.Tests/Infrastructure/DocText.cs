using System.Text.RegularExpressions;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// Pieces of the README and the guides in <c>docs/</c>: code blocks labelled with a file name, excerpts of a
/// sample file, <c>dotnet add package</c> lines, links.
/// </summary>
internal static partial class DocText
{
    /// <summary>The library quick start, which is <c>samples/QuickStart</c> file for file.</summary>
    public static string GettingStarted => Repository.Read("docs", "getting-started.md");

    /// <summary>README.md and every Markdown file under <c>docs/</c>, by path from the repository root.</summary>
    public static IReadOnlyDictionary<string, string> ReadmeAndDocs() =>
        Directory.EnumerateFiles(Repository.PathOf("docs"), "*.md", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Repository.Root, path).Replace('\\', '/'))
            .Append("README.md")
            .ToDictionary(path => path, path => Repository.Read(path.Split('/')));

    /// <summary>Code blocks right after a line that names a file: <c>`Program.cs`:</c>.</summary>
    public static IReadOnlyDictionary<string, string> FileBlocks(string text) =>
        FileBlock().Matches(text).ToDictionary(m => m.Groups["file"].Value, m => m.Groups["code"].Value);

    /// <summary>Code blocks right after a line that names the repository file they are taken from: <c>From `samples/QuickStart/Program.cs`:</c>.</summary>
    public static IReadOnlyList<(string File, string Code)> ExcerptBlocks(string text) =>
        [.. ExcerptBlock().Matches(text).Select(m => (m.Groups["file"].Value, m.Groups["code"].Value))];

    /// <summary>Every <c>dotnet add package ID --version V</c> line, as id and version.</summary>
    public static IReadOnlyList<(string Id, string Version)> PackageLines(string text) =>
        [.. AddPackage().Matches(text).Select(m => (m.Groups["id"].Value, m.Groups["version"].Value))];

    /// <summary>The targets of Markdown links <c>[text](target)</c> that stay in the repository (no scheme, no mail).</summary>
    public static IReadOnlyList<string> RelativeLinks(string text) =>
        [.. Link().Matches(text).Select(m => m.Groups["target"].Value).Where(target => !target.Contains(':', StringComparison.Ordinal))];

    /// <summary>The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    public static IReadOnlySet<string> Anchors(string text) =>
        Heading().Matches(text)
            .Select(m => Regex.Replace(m.Groups["title"].Value.Trim().ToLowerInvariant(), @"[^\p{L}\p{Nd} _-]", "").Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>Every <c>dotnet new nugetconfig</c> and <c>dotnet nuget ...</c> command, as its arguments after <c>dotnet</c>, comments left out.</summary>
    public static IReadOnlyList<string> NuGetCommands(string text) =>
        [.. NuGetCommand().Matches(text).Select(m => m.Groups["arguments"].Value.TrimEnd())];

    [GeneratedRegex(@"^dotnet (?<arguments>(new nugetconfig|nuget )[^#\n]*)", RegexOptions.Multiline)]
    private static partial Regex NuGetCommand();

    [GeneratedRegex(@"^`(?<file>[^`\n]+)`:\n```[a-z]*\n(?<code>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FileBlock();

    [GeneratedRegex(@"^From `(?<file>[^`\n]+)`:\n```[a-z]*\n(?<code>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ExcerptBlock();

    [GeneratedRegex(@"dotnet add package (?<id>[0-9A-Za-z._-]+) --version (?<version>[0-9A-Za-z.+-]+)")]
    private static partial Regex AddPackage();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6} (?<title>.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
