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
/// token file, and signs out; a refused sign-in is said, not thrown.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ConsoleClientSampleTests : IDisposable
{
    private readonly QuickStartApp _app = new();
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("jwtdevices-console-");
    private string? _address;

    public void Dispose()
    {
        _app.Dispose();
        _home.Delete(recursive: true);
    }

    [Fact]
    public async Task ConsoleSample_SignsInOnce_ThenRunsFromItsTokenFile_AndSignsOut()
    {
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

    [Fact]
    public async Task ConsoleSample_WithAWrongPassword_SaysTheServersRefusal_AndKeepsNoTokenFile()
    {
        var refused = await RunAsync("Wrong-Horse-7");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("The server refused the sign-in (400", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Wrong-Horse-7", refused.Output + refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", refused.Error, StringComparison.Ordinal);
        var tokenFolder = Path.Combine(_home.FullName, "JwtDevicesConsole");
        Assert.True(!Directory.Exists(tokenFolder) || Directory.GetFiles(tokenFolder).Length == 0, "The refused sign-in left a token file.");
    }

    // The quick-start app with the user alice, on a real loopback port, and the sample run against it as its own process.
    private async Task<ChildProcess.Result> RunAsync(string? password, params string[] extra)
    {
        if (_address is null)
        {
            Assert.Equal(0, (await _app.AddUserAsync("alice", passwordVariable: "Correct-Horse-7")).ExitCode);
            _app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
            _app.StartServer();
            _address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        }
        return await ChildProcess.RunDotnetAsync(
            _home.FullName,
            [Path.Combine(AppContext.BaseDirectory, "ConsoleClient.dll"), _address + "/", "alice", .. extra],
            new Dictionary<string, string?> { ["XDG_DATA_HOME"] = _home.FullName, ["JWTDEVICES_PASSWORD"] = password });
    }
}
