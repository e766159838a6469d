using System.Reflection;
using JwtDevices.Tests.Infrastructure;

namespace JwtDevices.Tests.Packaging;

/// <summary>
/// The server's build output carries what it runs on, not the design-time assemblies that only <c>dotnet ef</c>
/// loads (EF Core Design, Roslyn, Humanizer, Mono.TextTemplating).
/// </summary>
public sealed class ServerOutputTests
{
    private static readonly string[] s_designTimeAssemblies =
        ["Microsoft.EntityFrameworkCore.Design", "Microsoft.CodeAnalysis", "Humanizer", "Mono.TextTemplating"];

    [Fact]
    public void ServerOutput_HoldsNoDesignTimeAssembly_AndItsDependencyManifestNamesNone()
    {
        // The server is built, with this test project, in the same configuration.
        var configuration = typeof(ServerOutputTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var output = Repository.PathOf("src", "JwtDevices.Server", "bin", configuration, "net10.0");
        var manifest = File.ReadAllText(Path.Combine(output, "JwtDevices.Server.deps.json"));

        var shipped = Directory.EnumerateFiles(output, "*.dll", SearchOption.AllDirectories)
            .Select(Path.GetFileName)
            .Where(file => s_designTimeAssemblies.Any(name => file!.StartsWith(name, StringComparison.OrdinalIgnoreCase)));

        Assert.Empty(shipped);
        Assert.All(s_designTimeAssemblies, name => Assert.DoesNotContain($"\"{name}", manifest, StringComparison.OrdinalIgnoreCase));
    }
}
