using JwtDevices.Server.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Hosting;

/// <summary>
/// When neither <c>JwtDevices:SigningKey</c> nor <c>JwtDevices:SigningKeys</c> is configured, keeps a generated key in a file (owner-only), so
/// a first run just works and a restart keeps tokens valid: beside the database on SQLite, and in the
/// content root as <c>jwtdevices.key</c> on PostgreSQL, where nodes would each make their own key.
/// </summary>
internal sealed partial class SigningKeyFile : IPostConfigureOptions<JwtDevicesOptions>
{
    public const string PostgresKeyFileName = "jwtdevices.key";

    // The options are built more than once (IOptions and IOptionsMonitor keep separate copies):
    // read the file and warn once.
    private readonly Lazy<string> _key;

    public SigningKeyFile(IConfiguration configuration, IHostEnvironment environment, ILogger<SigningKeyFile> logger)
    {
        _key = new Lazy<string>(() =>
        {
            var onPostgres = ServerDatabase.Provider(configuration) == DatabaseProvider.Postgres;
            var path = onPostgres
                ? Path.Combine(environment.ContentRootPath, PostgresKeyFileName)
                : PathFor(ServerDatabase.ConnectionString(configuration, environment.ContentRootPath));
            var key = ReadOrCreate(path);
            LogUsingKeyFile(logger, path);
            if (onPostgres)
            {
                LogNodesNeedOneKey(logger);
            }
            return key;
        });
    }

    public void PostConfigure(string? name, JwtDevicesOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SigningKey) && options.SigningKeys.Count == 0)
        {
            options.SigningKey = _key.Value;
        }
    }

    /// <summary>The key file for a SQLite connection string: the database's name with <c>.key</c>.</summary>
    internal static string PathFor(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var database = string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" ? "jwtdevices.db" : dataSource;
        return Path.GetFullPath(Path.ChangeExtension(database, ".key"));
    }

    private static string ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return ReadOwnerOnly(path);
        }
        // Written whole under another name, then linked into place: a crash leaves no half-written key,
        // and of two processes starting at once the second finds the first one's key.
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var writer = new StreamWriter(temporary, fileOptions))
            {
                writer.Write(key);
            }
            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            return ReadOwnerOnly(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The real cause, named as the operator can fix it; the temporary file's name means nothing to them.
            throw new ServerConfigurationException(Directory.Exists(Path.GetDirectoryName(path))
                ? $"cannot create the key file {path}: {ServerFailure.OneLine(exception.Message.Replace(temporary, path, StringComparison.Ordinal))} Make its folder writable, or configure JwtDevices:SigningKey."
                : $"cannot create the key file {path}: the folder {Path.GetDirectoryName(path)} does not exist (the key file is kept beside the database {ServerDatabase.ConnectionStringKey} names). Create the folder, or fix {ServerDatabase.ConnectionStringKey}.");
        }
        finally
        {
            // Deleting in a folder that does not exist would throw, and hide why the key could not be made.
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    // As ssh does with private keys: a key file others can read is refused, not used.
    private static string ReadOwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & s_othersMayAccess) != 0)
        {
            throw new ServerConfigurationException(
                $"The key file {path} can be read or written by other users; make it owner-only (chmod 600 '{path}') or configure JwtDevices:SigningKey.");
        }
        return File.ReadAllText(path).Trim();
    }

    private const UnixFileMode s_othersMayAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    [LoggerMessage(100, LogLevel.Warning,
        "No JwtDevices:SigningKey is configured; using the key file {Path}. Configure a key (base64, 256 bits or more) in production and keep it secret.")]
    private static partial void LogUsingKeyFile(ILogger logger, string path);

    [LoggerMessage(101, LogLevel.Warning,
        "The key file belongs to this node alone: several nodes on one PostgreSQL database must share one configured JwtDevices:SigningKey, or each refuses the others' tokens.")]
    private static partial void LogNodesNeedOneKey(ILogger logger);
}
