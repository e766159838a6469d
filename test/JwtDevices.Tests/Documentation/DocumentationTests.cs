using System.Text.Json;
using System.Xml.Linq;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Documentation;

/// <summary>
/// What the documentation site cannot check by itself: the README's first screen and links (the site does not
/// build the README), that every guide is in the site's contents, that the API reference covers every package,
/// and that a public member without XML docs still fails the build.
/// </summary>
public sealed class DocumentationTests
{
    private static readonly string[] FoldersWithReadmes = ["src", "samples", "perf"];

    [Fact]
    public void Readme_OpensWithTheTwoCommands_BeforeAnySection()
    {
        var readme = Repository.Read("README.md");
        var block = readme.IndexOf("\n```sh\n", StringComparison.Ordinal);
        var firstSection = readme.IndexOf("\n## ", StringComparison.Ordinal);

        Assert.True(block >= 0 && block < firstSection, "README.md's first section comes before its first sh block.");
        var code = readme[(block + "\n```sh\n".Length)..readme.IndexOf("\n```", block + 1, StringComparison.Ordinal)];
        var commands = code.Split('\n').Select(line => line.Split('#')[0].Trim());
        Assert.Equal(["dotnet run --project src/JwtDevices.Server", "dotnet test"], commands);
    }

    public static TheoryData<string> MarkdownOutsideTheSite() =>
    [
        "README.md",
        "SECURITY.md",
        .. FoldersWithReadmes
            .SelectMany(folder => Directory.EnumerateFiles(Repository.PathOf(folder), "README.md", SearchOption.AllDirectories))
            .Where(path => !IsBuildOutput(path))
            .Select(path => Path.GetRelativePath(Repository.Root, path).Replace('\\', '/')),
    ];

    [Theory]
    [MemberData(nameof(MarkdownOutsideTheSite))]
    public void Links_ReachFilesAndHeadingsThatExist(string markdown)
    {
        var folder = Path.GetDirectoryName(Repository.PathOf(markdown.Split('/')))!;

        foreach (var link in DocText.RelativeLinks(Repository.Read(markdown.Split('/'))))
        {
            var (file, anchor) = link.Split('#', 2) is [var f, var a] ? (f, a) : (link, null);
            var target = file.Length == 0 ? Repository.PathOf(markdown.Split('/')) : Path.GetFullPath(Path.Combine(folder, file));
            Assert.True(File.Exists(target) || Directory.Exists(target), $"{markdown} links to {link}, which does not exist.");
            if (anchor is not null)
            {
                Assert.True(DocText.Anchors(File.ReadAllText(target)).Contains(anchor), $"{markdown} links to {link}, a heading that does not exist.");
            }
        }
    }

    [Fact]
    public void EveryGuide_IsInTheSitesContents()
    {
        var toc = Repository.Read("docs", "toc.yml");
        var guides = Directory.EnumerateFiles(Repository.PathOf("docs"), "*.md").Select(Path.GetFileName);

        foreach (var guide in guides)
        {
            Assert.True(toc.Contains($"href: {guide}\n", StringComparison.Ordinal), $"docs/toc.yml does not list docs/{guide}.");
        }
    }

    [Fact]
    public void ApiReference_CoversEveryPackage()
    {
        using var docfx = JsonDocument.Parse(Repository.Read("docs", "docfx.json"));
        var projects = docfx.RootElement.GetProperty("metadata")[0].GetProperty("src")[0].GetProperty("files")
            .EnumerateArray().Select(file => Path.GetFileNameWithoutExtension(file.GetString()!));

        Assert.Equal(Packages().Order(StringComparer.Ordinal), projects.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void APublicMemberWithoutDocs_FailsThePackagesBuild()
    {
        var props = XDocument.Load(Repository.PathOf("Directory.Build.props"));
        string? Property(string name) => props.Descendants(name).SingleOrDefault()?.Value;

        // CS1591 (a public member without an XML doc comment) is a warning once the build writes the XML docs,
        // and an error once warnings are; nothing in a package's project or sources may turn it back.
        Assert.Equal("true", Property("GenerateDocumentationFile"));
        Assert.Equal("true", Property("TreatWarningsAsErrors"));
        Assert.DoesNotContain("1591", Repository.Read(".editorconfig"), StringComparison.Ordinal);
        foreach (var package in Packages())
        {
            var project = Repository.Read("src", package, $"{package}.csproj");
            foreach (var setting in new[] { "1591", "GenerateDocumentationFile", "TreatWarningsAsErrors", "WarningsNotAsErrors", "NoWarn" })
            {
                Assert.False(project.Contains(setting, StringComparison.Ordinal), $"src/{package}/{package}.csproj sets {setting}.");
            }
            foreach (var source in Directory.EnumerateFiles(Repository.PathOf("src", package), "*.cs", SearchOption.AllDirectories).Where(path => !IsBuildOutput(path)))
            {
                Assert.False(File.ReadAllText(source).Contains("1591", StringComparison.Ordinal), $"{source} silences CS1591.");
            }
        }
    }

    private static bool IsBuildOutput(string path) =>
        Path.GetRelativePath(Repository.Root, path).Split(Path.DirectorySeparatorChar) is var parts && (parts.Contains("bin") || parts.Contains("obj"));

    /// <summary>The projects under <c>src/</c> that are NuGet packages (the server is not).</summary>
    private static IEnumerable<string> Packages() =>
        Directory.EnumerateFiles(Repository.PathOf("src"), "*.csproj", SearchOption.AllDirectories)
            .Where(project => !File.ReadAllText(project).Contains("<IsPackable>false</IsPackable>", StringComparison.Ordinal))
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>();
}
