using System.Xml.Linq;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Samples;

/// <summary>
/// The library quick start (docs/getting-started.md) is the sample, character for character, with the sample's
/// package versions; the README's excerpt of it is the sample's own lines.
/// </summary>
public sealed class QuickStartGuideTests
{
    private const string Guide = "docs/getting-started.md";

    private static readonly string[] SampleFiles = ["Program.cs", "AppDbContext.cs", "appsettings.json"];

    [Theory]
    [MemberData(nameof(Files))]
    public void GuideBlock_IsTheSampleFile(string file)
    {
        var blocks = DocText.FileBlocks(DocText.GettingStarted);

        Assert.True(blocks.ContainsKey(file), $"{Guide} has no block labelled `{file}`:.");
        Assert.Equal(Repository.Read("samples", "QuickStart", file), blocks[file]);
    }

    public static TheoryData<string> Files() => [.. SampleFiles];

    [Fact]
    public void GuideBlocks_AreAllSampleFiles()
    {
        var blocks = DocText.FileBlocks(DocText.GettingStarted);

        Assert.Equal(SampleFiles.Order(StringComparer.Ordinal), blocks.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PackageLines_NameWhatTheSampleUses_AtThePinnedVersions()
    {
        var lines = DocText.PackageLines(DocText.GettingStarted);
        var sample = XDocument.Load(Repository.PathOf("samples", "QuickStart", "QuickStart.csproj"));
        var expected = sample.Descendants("ProjectReference")
            .Select(reference => (Path.GetFileNameWithoutExtension((string)reference.Attribute("Include")!), Repository.PackageVersion))
            .Concat(sample.Descendants("PackageReference")
                .Select(reference => (string)reference.Attribute("Include")!)
                .Select(id => (id, Repository.PinnedVersions()[id])));

        Assert.Equal(expected.Order(), lines.Order());
    }

    [Fact]
    public void EveryPackageLine_InTheReadmeAndDocs_HasThePinnedVersion()
    {
        var pinned = Repository.PinnedVersions();

        foreach (var (path, text) in DocText.ReadmeAndDocs())
        {
            foreach (var (id, version) in DocText.PackageLines(text))
            {
                var expected = id.StartsWith("JwtDevices", StringComparison.Ordinal) ? Repository.PackageVersion : pinned[id];
                Assert.True(expected == version, $"{path}: dotnet add package {id} --version {version}, but the pinned version is {expected}.");
            }
        }
    }

    [Fact]
    public void EfToolLine_HasTheToolManifestsVersion()
    {
        var manifest = System.Text.Json.JsonDocument.Parse(Repository.Read("dotnet-tools.json"));
        var version = manifest.RootElement.GetProperty("tools").GetProperty("dotnet-ef").GetProperty("version").GetString();

        Assert.Contains($"dotnet tool install --global dotnet-ef --version {version}", DocText.GettingStarted, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadmeExcerpt_IsTheSamplesOwnLines_InTheSamplesOrder()
    {
        var excerpts = DocText.ExcerptBlocks(Repository.Read("README.md"));

        Assert.NotEmpty(excerpts);
        foreach (var (file, code) in excerpts)
        {
            var sample = Repository.Read(file.Split('/')).Split('\n');
            var next = 0;
            foreach (var line in code.Split('\n').Where(line => line.Length > 0))
            {
                var at = Array.IndexOf(sample, line, next);
                Assert.True(at >= 0, $"README's excerpt of {file} has a line that is not the sample's, or not in its order: {line}");
                next = at + 1;
            }
        }
    }
}
