using System.Security.Cryptography;
using System.Text.Json;

namespace JwtDevices.Client;

/// <summary>
/// Keeps the permanent token, and a bound device's DPoP private key, in a file that only its owner may read (mode
/// 0600 in a 0700 folder on Linux and macOS; on Windows, put it under the user's profile, such as
/// <see cref="Environment.SpecialFolder.LocalApplicationData"/>, whose access list admits only that user). The file is
/// not encrypted: whoever can read it as that user (or as an administrator) holds the device. Each save writes a new
/// file, flushes it to disk and renames it over the old one, so a crash leaves either the old token or the new one,
/// never half of one. Prefer the platform's keychain where there is one (see the README).
/// </summary>
public sealed class FileJwtDevicesTokenStore : IJwtDevicesTokenStore, IDisposable
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnlyFile | UnixFileMode.UserExecute;

    private readonly string _path;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="path">The file, one per user and server; its folder is created when missing.</param>
    public FileJwtDevicesTokenStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
    }

    /// <inheritdoc />
    public async ValueTask<JwtDevicesStoredToken?> LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(_path))
            {
                return null;
            }
            var bytes = await File.ReadAllBytesAsync(_path, cancellationToken).ConfigureAwait(false);
            try
            {
                return JsonSerializer.Deserialize(bytes, ClientJsonContext.Default.StoredTokenFile) is { } file ? Read(file) : null;
            }
            catch (Exception exception) when (exception is JsonException or FormatException or CryptographicException)
            {
                // Not ours, or damaged by hand: signed out, as if there were no file (the message names no content).
                return null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(JwtDevicesStoredToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var folder = Path.GetDirectoryName(_path)!;
            if (!Directory.Exists(folder))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(folder);
                }
                else
                {
                    Directory.CreateDirectory(folder, OwnerOnlyFolder);
                }
            }
            var temporary = Path.Combine(folder, $".{Path.GetFileName(_path)}.{Guid.NewGuid():N}.tmp");
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                // Created owner-only, never readable by others for a moment.
                options.UnixCreateMode = OwnerOnlyFile;
            }
            try
            {
                await using (var stream = new FileStream(temporary, options))
                {
                    await JsonSerializer.SerializeAsync(stream, Write(token), ClientJsonContext.Default.StoredTokenFile, cancellationToken).ConfigureAwait(false);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temporary, _path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static JwtDevicesStoredToken Read(StoredTokenFile file)
    {
        ECDsa? key = null;
        if (file.DpopKey is { } pkcs8)
        {
            key = ECDsa.Create();
            try
            {
                key.ImportPkcs8PrivateKey(Convert.FromBase64String(pkcs8), out _);
            }
            catch
            {
                key.Dispose();
                throw;
            }
        }
        return new JwtDevicesStoredToken(file.PermanentToken, file.DeviceId) { DpopKey = key };
    }

    private static StoredTokenFile Write(JwtDevicesStoredToken token) =>
        new(token.PermanentToken, token.DeviceId, token.DpopKey is { } key ? Convert.ToBase64String(key.ExportPkcs8PrivateKey()) : null);

    /// <inheritdoc />
    public async ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            File.Delete(_path);
        }
        finally
        {
            _gate.Release();
        }
    }
}
