using System.Diagnostics;
using System.Globalization;
using System.Text;
using JwtDevices.Server.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>What an attacker with a backup of a server's database has: every byte of the SQLite file, or pg_dump's output.</summary>
internal static class DatabaseDump
{
    public static Task<byte[]> ReadAsync(ServerFactory server) =>
        server.Provider == DatabaseProvider.Sqlite ? DumpSqliteAsync(server.DatabasePath) : DumpPostgresAsync(server.ConnectionString);

    /// <summary>Fails when the dump holds <paramref name="needle"/>, as raw bytes or as lowercase hex (how pg_dump writes bytea).</summary>
    public static void AssertAbsent(byte[] dump, byte[] needle, string what)
    {
        Assert.True(dump.AsSpan().IndexOf(needle) < 0, $"The database holds the {what}.");
        Assert.True(dump.AsSpan().IndexOf(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(needle))) < 0, $"The database holds the {what} (hex).");
    }

    private static async Task<byte[]> DumpSqliteAsync(string path)
    {
        // Fold the write-ahead log into the file so the dump is complete, then read every byte of both.
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }
        var dump = new List<byte>(await File.ReadAllBytesAsync(path));
        if (File.Exists(path + "-wal"))
        {
            dump.AddRange(await File.ReadAllBytesAsync(path + "-wal"));
        }
        return [.. dump];
    }

    private static async Task<byte[]> DumpPostgresAsync(string connectionString)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(PgDumpPath())
        {
            ArgumentList = { "--host", connection.Host!, "--port", connection.Port.ToString(CultureInfo.InvariantCulture),
                "--username", connection.Username!, "--dbname", connection.Database! },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PGPASSWORD"] = connection.Password },
        };
        using var process = Process.Start(start)!;
        using var output = new MemoryStream();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_dump failed: {await error}");
        return output.ToArray();
    }

    private static string PgDumpPath() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(version => Path.Combine(version, "bin", "pg_dump"))
                .Where(File.Exists)
                .OrderByDescending(path => Version.Parse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path)))! + ".0"))
                .FirstOrDefault() ?? "pg_dump"
            : "pg_dump";
}
