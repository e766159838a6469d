using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Documentation;

/// <summary>The README's first screen, and the links of the Markdown files outside <c>docs/</c>.</summary>
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

    private static bool IsBuildOutput(string path) =>
        Path.GetRelativePath(Repository.Root, path).Split(Path.DirectorySeparatorChar) is var parts && (parts.Contains("bin") || parts.Contains("obj"));
}
