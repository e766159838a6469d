using System.Net;
using System.Runtime.Versioning;
using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests.Samples;

/// <summary>
/// The .NET client sample of docs/clients.md (<c>samples/ConsoleClient</c>), run as its own process against the
/// quick-start app on a real loopback port: it signs in once bound to a DPoP key, keeps the device and the key in its
/// token file, and signs out.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ConsoleClientSampleTests : IDisposable
{
    private readonly QuickStartApp _app = new();
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("jwtdevices-console-");

    public void Dispose()
    {
        _app.Dispose();
        _home.Delete(recursive: true);
    }

    [Fact]
    public async Task ConsoleSample_SignsInOnce_ThenRunsFromItsTokenFile_AndSignsOut()
    {
        Assert.Equal(0, (await _app.AddUserAsync("alice", passwordVariable: "Correct-Horse-7")).ExitCode);
        _app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Task<ChildProcess.Result> RunAsync(string? password, params string[] extra) => ChildProcess.RunDotnetAsync(
            _home.FullName,
            [Path.Combine(AppContext.BaseDirectory, "ConsoleClient.dll"), address + "/", "alice", .. extra],
            new Dictionary<string, string?> { ["XDG_DATA_HOME"] = _home.FullName, ["JWTDEVICES_PASSWORD"] = password });

        var first = await RunAsync("Correct-Horse-7");
        var tokenFile = Assert.Single(Directory.GetFiles(Path.Combine(_home.FullName, "JwtDevicesConsole")));
        var mode = File.GetUnixFileMode(tokenFile);
        var second = await RunAsync(password: null, "--sign-out");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("Hello, alice!", first.Output, StringComparison.Ordinal);
        Assert.Contains("Console sample (this one)", first.Output, StringComparison.Ordinal);
        Assert.Contains("This device is bound to its key.", first.Output, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("Hello, alice!", second.Output, StringComparison.Ordinal);
        // The second run refreshed with a proof by the key it read back from the token file.
        Assert.Contains("This device is bound to its key.", second.Output, StringComparison.Ordinal);
        Assert.Contains("Signed out.", second.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(tokenFile));
    }
}
