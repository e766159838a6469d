using System.Xml.Linq;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Samples;

/// <summary>The README's library section is the sample, character for character, with the sample's package versions.</summary>
public sealed class QuickStartReadmeTests
{
    private const string Section = "Using the library in your own app";

    private static readonly string[] SampleFiles = ["Program.cs", "AppDbContext.cs", "appsettings.json"];

    [Theory]
    [MemberData(nameof(Files))]
    public void ReadmeBlock_IsTheSampleFile(string file)
    {
        var blocks = ReadmeText.FileBlocks(ReadmeText.Section(Section));

        Assert.True(blocks.ContainsKey(file), $"README's '{Section}' has no block labelled `{file}`:.");
        Assert.Equal(Repository.Read("samples", "QuickStart", file), blocks[file]);
    }

    public static TheoryData<string> Files() => [.. SampleFiles];

    [Fact]
    public void ReadmeBlocks_AreAllSampleFiles()
    {
        var blocks = ReadmeText.FileBlocks(ReadmeText.Section(Section));

        Assert.Equal(SampleFiles.Order(StringComparer.Ordinal), blocks.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PackageLines_NameWhatTheSampleUses_AtThePinnedVersions()
    {
        var lines = ReadmeText.PackageLines(ReadmeText.Section(Section));
        var sample = XDocument.Load(Repository.PathOf("samples", "QuickStart", "QuickStart.csproj"));
        var expected = sample.Descendants("ProjectReference")
            .Select(reference => (Path.GetFileNameWithoutExtension((string)reference.Attribute("Include")!), Repository.PackageVersion))
            .Concat(sample.Descendants("PackageReference")
                .Select(reference => (string)reference.Attribute("Include")!)
                .Select(id => (id, Repository.PinnedVersions()[id])));

        Assert.Equal(expected.Order(), lines.Order());
    }

    [Fact]
    public void EveryPackageLine_InTheReadme_HasThePinnedVersion()
    {
        var pinned = Repository.PinnedVersions();

        foreach (var (id, version) in ReadmeText.PackageLines(Repository.Read("README.md")))
        {
            var expected = id.StartsWith("JwtDevices", StringComparison.Ordinal) ? Repository.PackageVersion : pinned[id];
            Assert.True(expected == version, $"README: dotnet add package {id} --version {version}, but the pinned version is {expected}.");
        }
    }

    [Fact]
    public void EfToolLine_HasTheToolManifestsVersion()
    {
        var manifest = System.Text.Json.JsonDocument.Parse(Repository.Read("dotnet-tools.json"));
        var version = manifest.RootElement.GetProperty("tools").GetProperty("dotnet-ef").GetProperty("version").GetString();

        Assert.Contains($"dotnet tool install --global dotnet-ef --version {version}", ReadmeText.Section(Section), StringComparison.Ordinal);
    }
}
