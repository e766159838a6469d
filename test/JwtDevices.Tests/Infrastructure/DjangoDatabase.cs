using System.Data.Common;
using JwtDevices.Server.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// A drf-jwt-devices database to import from, built from the SQL fixture of its provider
/// (<c>Django/django-*.sql</c>, written by <c>Django/make_fixture.py</c> with Django's own hashers): a SQLite
/// file of its own, or a PostgreSQL database of its own that it drops when disposed.
/// </summary>
internal sealed class DjangoDatabase : IDisposable
{
    private readonly string? _directory;
    private readonly PostgresTestDatabase? _postgres;

    public DjangoDatabase(DatabaseProvider provider)
    {
        Provider = provider;
        if (provider == DatabaseProvider.Sqlite)
        {
            _directory = Directory.CreateTempSubdirectory("jwtdevices-django-").FullName;
            ConnectionString = $"Data Source={Path.Combine(_directory, "django.sqlite3")}";
        }
        else
        {
            _postgres = new PostgresTestDatabase();
            _postgres.Create();
            ConnectionString = _postgres.ConnectionString;
        }
        Execute(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Django",
            provider == DatabaseProvider.Sqlite ? "django-sqlite.sql" : "django-postgres.sql")));
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The connection string without its password, as <c>import-django --connection</c> takes it.</summary>
    public string ConnectionStringWithoutPassword =>
        Provider == DatabaseProvider.Sqlite ? ConnectionString : new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null }.ConnectionString;

    /// <summary>The password of the connection string, if it has one.</summary>
    public string? Password => Provider == DatabaseProvider.Sqlite ? null : new NpgsqlConnectionStringBuilder(ConnectionString).Password;

    /// <summary>Changes the Django database, as a test needs it.</summary>
    public void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The permanent tokens the Django backend gave its clients, by device id.</summary>
    public Dictionary<long, string> PermanentTokens() => Read("SELECT id, permanent_token FROM jwt_devices_device", reader => reader.GetString(1));

    /// <summary>The devices' <c>jwt_secret</c> values, as Django wrote them.</summary>
    public Dictionary<long, string> JwtSecrets() => Read("SELECT id, jwt_secret FROM jwt_devices_device", reader => reader.GetValue(1).ToString()!);

    public void Dispose()
    {
        if (_postgres is not null)
        {
            _postgres.Drop();
            return;
        }
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory!, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system.
        }
    }

    private Dictionary<long, string> Read(string sql, Func<DbDataReader, string> value)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new Dictionary<long, string>();
        while (reader.Read())
        {
            values[reader.GetInt64(0)] = value(reader);
        }
        return values;
    }

    private DbConnection Open()
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);
        connection.Open();
        return connection;
    }
}
