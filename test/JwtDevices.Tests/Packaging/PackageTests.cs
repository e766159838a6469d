using System.IO.Compression;
using System.Security.Cryptography;
using System.Xml.Linq;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Packaging;

/// <summary>
/// The NuGet packages <c>.ci/run</c> packs into the folder <see cref="TestServices.Packages"/> names: their
/// metadata, and a fresh application that installs them from that folder, as the README says, and builds.
/// </summary>
[RequiresService(TestServices.Packages)]
public sealed class PackageTests
{
    public static TheoryData<string> Packages() => ["JwtDevices", "JwtDevices.EntityFrameworkCore", "JwtDevices.StackExchangeRedis", "JwtDevices.Client"];

    private static string Folder => Environment.GetEnvironmentVariable(TestServices.Packages) is { Length: > 0 } folder
        ? folder
        : throw new InvalidOperationException($"{TestServices.Packages} is not set; .ci/run packs the packages and sets it.");

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_CarriesItsMetadata_ReadmeAndDocs(string id)
    {
        var version = Repository.PackageVersion;
        var path = Path.Combine(Folder, $"{id}.{version}.nupkg");

        using var package = ZipFile.OpenRead(path);
        var nuspec = XDocument.Load(package.GetEntry($"{id}.nuspec")!.Open());
        string Field(string name) => nuspec.Descendants().Single(e => e.Name.LocalName == name).Value;
        XElement Element(string name) => nuspec.Descendants().Single(e => e.Name.LocalName == name);
        var readme = new StreamReader(package.GetEntry("README.md")!.Open()).ReadToEnd();

        Assert.Equal(version, Field("version"));
        Assert.Equal("JwtDevices contributors", Field("authors"));
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("expression", (string?)Element("license").Attribute("type"));
        Assert.Equal("https://github.com/jwtdevices/jwtdevices", (string?)Element("repository").Attribute("url"));
        Assert.Equal("https://github.com/jwtdevices/jwtdevices", Field("projectUrl"));
        Assert.Contains("jwt", Field("tags").Split(' '));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")));
        Assert.Equal("README.md", Field("readme"));
        Assert.StartsWith($"# {id}\n", readme.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet run --project", readme, StringComparison.Ordinal);
        Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.dll"));
        Assert.NotNull(package.GetEntry($"lib/net10.0/{id}.xml"));
        if (id == "JwtDevices.Client")
        {
            // The client also serves apps still on .NET 8 (MAUI, desktop).
            Assert.NotNull(package.GetEntry($"lib/net8.0/{id}.dll"));
        }
        Assert.True(File.Exists(Path.Combine(Folder, $"{id}.{version}.snupkg")), $"No symbol package for {id}.");
    }

    [Fact]
    public async Task FreshApp_WithTheGettingStartedCode_AndNuGetConfig_RestoresFromACleanCache_AndBuilds()
    {
        var app = Directory.CreateTempSubdirectory("jwtdevices-fresh-app-");
        // An empty package cache, as on a machine that never restored anything: every package comes from a source.
        var cache = Directory.CreateTempSubdirectory("jwtdevices-fresh-cache-");
        try
        {
            var guide = DocText.GettingStarted;
            var packages = DocText.PackageLines(guide).Append(("JwtDevices.StackExchangeRedis", Repository.PackageVersion));
            await File.WriteAllTextAsync(Path.Combine(app.FullName, "FreshApp.csproj"), Project(packages));
            foreach (var (file, code) in DocText.FileBlocks(guide))
            {
                await File.WriteAllTextAsync(Path.Combine(app.FullName, file), code);
            }
            // The Redis package, used as its README shows.
            await File.WriteAllTextAsync(Path.Combine(app.FullName, "Redis.cs"), """
                internal static class Redis
                {
                    public static void Add(IServiceCollection services) =>
                        services.AddJwtDevicesStackExchangeRedis(options => options.Configuration = "localhost:6379");
                }
                """);
            var environment = new Dictionary<string, string?>
            {
                ["NUGET_PACKAGES"] = cache.FullName,
                // No build server or node outlives the test (they would hold its output open).
                ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "false",
            };

            // The guide's nuget.config step, word for word, with the packed folder for ~/jwtdevices-packages.
            var commands = DocText.NuGetCommands(guide);
            Assert.Equal(["new nugetconfig", "nuget add source ~/jwtdevices-packages --name jwtdevices --configfile nuget.config"], commands);
            foreach (var command in commands)
            {
                var arguments = command.Split(' ').Select(argument => argument == "~/jwtdevices-packages" ? Folder : argument);
                var run = await ChildProcess.RunDotnetAsync(app.FullName, arguments, environment);
                Assert.True(run.ExitCode == 0, run.ToString());
            }
            var build = await ChildProcess.RunDotnetAsync(
                app.FullName,
                ["build", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:UseRazorBuildServer=false"],
                environment,
                timeout: TimeSpan.FromMinutes(8));

            Assert.True(build.ExitCode == 0, build.ToString());
            Assert.True(File.Exists(Path.Combine(app.FullName, "bin", "Debug", "net10.0", "FreshApp.dll")));
            // The restored JwtDevices is the packed one, byte for byte, not a package of that name from elsewhere.
            var restored = Path.Combine(cache.FullName, "jwtdevices", Repository.PackageVersion, $"jwtdevices.{Repository.PackageVersion}.nupkg.sha512");
            Assert.True(File.Exists(restored), "JwtDevices was not restored into the empty cache.");
            using var packed = File.OpenRead(Path.Combine(Folder, $"JwtDevices.{Repository.PackageVersion}.nupkg"));
            Assert.Equal(Convert.ToBase64String(await SHA512.HashDataAsync(packed)), (await File.ReadAllTextAsync(restored)).Trim());
        }
        finally
        {
            app.Delete(recursive: true);
            cache.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task FreshConsoleApp_WithTheClientSample_BuildsAgainstThePackedClient()
    {
        var app = Directory.CreateTempSubdirectory("jwtdevices-fresh-client-");
        try
        {
            var project = Project([("JwtDevices.Client", Repository.PackageVersion)])
                .Replace("Microsoft.NET.Sdk.Web", "Microsoft.NET.Sdk", StringComparison.Ordinal)
                .Replace("<PropertyGroup>", "<PropertyGroup>\n    <OutputType>Exe</OutputType>", StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(app.FullName, "FreshClient.csproj"), project);
            await File.WriteAllTextAsync(Path.Combine(app.FullName, "nuget.config"), NuGetConfig(Path.Combine(app.FullName, "packages")));
            File.Copy(Repository.PathOf("samples", "ConsoleClient", "Program.cs"), Path.Combine(app.FullName, "Program.cs"));

            await AssertBuildsFromThePackedFolderAsync(app, "FreshClient", "JwtDevices.Client");
        }
        finally
        {
            app.Delete(recursive: true);
        }
    }

    /// <summary>Builds the fresh app; <paramref name="package"/> must have come from the packed folder.</summary>
    private static async Task AssertBuildsFromThePackedFolderAsync(DirectoryInfo app, string assembly, string package)
    {
        // No build server or node outlives the test (they would hold its output open).
        var build = await ChildProcess.RunDotnetAsync(
            app.FullName,
            ["build", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:UseRazorBuildServer=false"],
            new Dictionary<string, string?> { ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "false" },
            timeout: TimeSpan.FromMinutes(5));

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(File.Exists(Path.Combine(app.FullName, "bin", "Debug", "net10.0", $"{assembly}.dll")));
        Assert.True(
            Directory.Exists(Path.Combine(app.FullName, "packages", package.ToLowerInvariant(), Repository.PackageVersion)),
            $"{package} was not restored from the packed folder.");
    }

    /// <summary>
    /// JwtDevices from the packed folder, everything else from nuget.org, read first from the user's package
    /// cache. Packages are extracted into the app's own folder, so a stale JwtDevices of the same version in
    /// the user's cache can never be used.
    /// </summary>
    private static string NuGetConfig(string packagesFolder)
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packagesFolder}" />
              </config>
              <packageSources>
                <clear />
                <add key="packed" value="{Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <fallbackPackageFolders>
                <clear />
                <add key="cache" value="{cache}" />
              </fallbackPackageFolders>
              <packageSourceMapping>
                <packageSource key="packed">
                  <package pattern="JwtDevices" />
                  <package pattern="JwtDevices.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """;
    }

    /// <summary>A project as <c>dotnet new web</c> makes it, warnings as errors, with the packages added.</summary>
    private static string Project(IEnumerable<(string Id, string Version)> packages) => $"""
        <Project Sdk="Microsoft.NET.Sdk.Web">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
        {string.Join("\n", packages.Select(p => $"""    <PackageReference Include="{p.Id}" Version="{p.Version}" />"""))}
          </ItemGroup>
        </Project>
        """;
}
