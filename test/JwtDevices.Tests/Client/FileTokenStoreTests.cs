using System.Runtime.Versioning;
using System.Security.Cryptography;
using JwtDevices.Client;

namespace JwtDevices.Tests.Client;

[UnsupportedOSPlatform("windows")]
public sealed class FileTokenStoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("jwtdevices-store-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task Save_WritesAnOwnerOnlyFileInAnOwnerOnlyFolder_ReplacingTheOldOne_AndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(_folder.FullName, "nested", "alice.json");
        using var store = new FileJwtDevicesTokenStore(path);

        await store.SaveAsync(new JwtDevicesStoredToken("first-token", 7), default);
        await store.SaveAsync(new JwtDevicesStoredToken("second-token", 7), default);
        using var reopened = new FileJwtDevicesTokenStore(path);

        Assert.Equal(new JwtDevicesStoredToken("second-token", 7), await reopened.LoadAsync(default));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
        Assert.DoesNotContain("second-token", new JwtDevicesStoredToken("second-token", 7).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_DeletesTheFile_AndADamagedFileReadsAsSignedOut()
    {
        var path = Path.Combine(_folder.FullName, "bob.json");
        using var store = new FileJwtDevicesTokenStore(path);
        await store.SaveAsync(new JwtDevicesStoredToken("token", 1), default);

        await store.ClearAsync(default);
        Assert.False(File.Exists(path));
        Assert.Null(await store.LoadAsync(default));
        await File.WriteAllTextAsync(path, "{ not json");
        Assert.Null(await store.LoadAsync(default));
    }

    [Fact]
    public async Task Save_KeepsABoundDevicesDpopKeyInTheOwnerOnlyFile_AndLoadReturnsAKeyThatSignsForTheSamePublicKey()
    {
        var path = Path.Combine(_folder.FullName, "carol.json");
        using var store = new FileJwtDevicesTokenStore(path);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        await store.SaveAsync(new JwtDevicesStoredToken("token", 3) { DpopKey = key }, default);
        using var reopened = new FileJwtDevicesTokenStore(path);
        var loaded = await reopened.LoadAsync(default);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var loadedKey = loaded!.DpopKey!;
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), loadedKey.ExportSubjectPublicKeyInfo());
        var signature = loadedKey.SignData("proof"u8, HashAlgorithmName.SHA256);
        Assert.True(key.VerifyData("proof"u8, signature, HashAlgorithmName.SHA256));
        Assert.DoesNotContain("Bound = False", loaded.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileWrittenBeforeDpop_LoadsAsAnUnboundDevice()
    {
        var path = Path.Combine(_folder.FullName, "dave.json");
        await File.WriteAllTextAsync(path, """{"permanent_token":"old-token","device_id":5}""");
        using var store = new FileJwtDevicesTokenStore(path);

        var loaded = await store.LoadAsync(default);

        Assert.Equal(new JwtDevicesStoredToken("old-token", 5), loaded);
        Assert.Null(loaded!.DpopKey);
    }
}
