using Microsoft.Data.Sqlite;

namespace JwtDevices.Server.Data;

/// <summary>
/// Keeps the SQLite database (password hashes, e-mails, security stamps) owner-only, as the key file is:
/// a missing database is created empty with mode 600 before SQLite opens it, and SQLite gives its
/// <c>-wal</c>, <c>-shm</c> and <c>-journal</c> files the database's own mode. An existing database, or a
/// side file, that others may read gets a warning naming it.
/// </summary>
internal static partial class SqliteDatabaseFile
{
    private static readonly string[] s_sideFiles = ["-wal", "-shm", "-journal"];

    private const UnixFileMode OthersMayAccess =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public static void Prepare(string connectionString, ILogger logger)
    {
        if (OperatingSystem.IsWindows() || PathOf(connectionString) is not { } path)
        {
            return;
        }
        CreateOwnerOnly(path);
        foreach (var file in s_sideFiles.Select(suffix => path + suffix).Prepend(path))
        {
            if (File.Exists(file) && (File.GetUnixFileMode(file) & OthersMayAccess) != 0)
            {
                LogOthersMayRead(logger, file);
            }
        }
    }

    /// <summary>The database file's full path, or null for an in-memory database.</summary>
    internal static string? PathOf(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:"
            ? null
            : Path.GetFullPath(builder.DataSource);
    }

    // An empty file is a new database to SQLite. Of two processes starting at once, one creates it.
    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path) || !Directory.Exists(Path.GetDirectoryName(path)))
        {
            return;
        }
        try
        {
            using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
        }
    }

    [LoggerMessage(130, LogLevel.Warning,
        "The database file {Path} can be read or written by other users, and it holds password hashes and e-mail addresses: make it owner-only (chmod 600 '{Path}').")]
    private static partial void LogOthersMayRead(ILogger logger, string path);
}
