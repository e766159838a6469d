using System.Data;
using System.Data.Common;
using System.Globalization;
using JwtDevices.Server.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace JwtDevices.Server.Django;

/// <summary>
/// The Django database, opened read-only (a read-only SQLite connection, or a read-only PostgreSQL
/// transaction) and read in one snapshot, in batches ordered by id.
/// </summary>
internal sealed class DjangoSource : IAsyncDisposable
{
    private const string UserColumns = "id, username, email, password, is_active, is_staff, is_superuser, date_joined, last_login";
    private const string DeviceColumns = "id, user_id, permanent_token, name, details, created, last_request_datetime";

    private readonly DbConnection _connection;
    private DbTransaction? _snapshot;

    private DjangoSource(DbConnection connection) => _connection = connection;

    /// <summary>
    /// Opens the Django database read-only and checks that it holds both tables with their columns.
    /// <paramref name="password"/> joins <paramref name="connectionString"/>, which must hold none: it came on the
    /// command line, where every user of the machine can read it.
    /// </summary>
    /// <exception cref="DjangoImportException">
    /// The connection string holds a password or is invalid, the database cannot be opened, or a table or column is missing.
    /// </exception>
    public static async Task<DjangoSource> OpenAsync(DatabaseProvider provider, string connectionString, string? password, CancellationToken cancellationToken)
    {
        DbConnection connection;
        try
        {
            connection = provider == DatabaseProvider.Sqlite ? SqliteConnectionFor(connectionString, password) : PostgresConnectionFor(connectionString, password);
        }
        catch (ArgumentException exception)
        {
            throw new DjangoImportException($"the --connection string is not a valid {provider} connection string ({exception.Message.Split('\n')[0].Trim()}).");
        }

        var source = new DjangoSource(connection);
        try
        {
            await connection.OpenAsync(cancellationToken);
            source._snapshot = provider == DatabaseProvider.Sqlite
                ? ((SqliteConnection)connection).BeginTransaction(deferred: true)
                : await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            if (provider == DatabaseProvider.Postgres)
            {
                await source.ExecuteAsync("SET TRANSACTION READ ONLY", cancellationToken);
            }
            await source.RequireAsync("auth_user", UserColumns, cancellationToken);
            await source.RequireAsync("jwt_devices_device", DeviceColumns, cancellationToken);
            return source;
        }
        catch (DbException exception)
        {
            await source.DisposeAsync();
            throw new DjangoImportException($"cannot read the Django database: {OneLine(exception.Message)}");
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    private static SqliteConnection SqliteConnectionFor(string connectionString, string? password)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadOnly };
        RefusePasswordIn(builder.Password);
        if (password is not null)
        {
            builder.Password = password;
        }
        return new SqliteConnection(builder.ConnectionString);
    }

    private static NpgsqlConnection PostgresConnectionFor(string connectionString, string? password)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        RefusePasswordIn(builder.Password);
        // Without one, Npgsql still reads PGPASSWORD and the pgpass file.
        builder.Password = password;
        return new NpgsqlConnection(builder.ConnectionString);
    }

    private static void RefusePasswordIn(string? password)
    {
        if (!string.IsNullOrEmpty(password))
        {
            throw new DjangoImportException(
                $"--connection holds a password, which other users of this machine can read in the process list: remove it, and set {DjangoImportCommand.PasswordVariable} or pipe it to --connection-password-stdin.");
        }
    }

    /// <summary>Up to <paramref name="count"/> users with ids above <paramref name="afterId"/>, by id.</summary>
    public Task<List<DjangoUser>> ReadUsersAsync(long afterId, int count, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {UserColumns} FROM auth_user WHERE id > @after ORDER BY id LIMIT @count", afterId, count, reader =>
        {
            var id = reader.GetInt64(0);
            return new DjangoUser(
                id,
                Text(reader, 1),
                Text(reader, 2),
                Text(reader, 3),
                Flag(reader, 4, "auth_user", id),
                Flag(reader, 5, "auth_user", id),
                Flag(reader, 6, "auth_user", id),
                Time(reader, 7, "auth_user", id) ?? throw Unreadable("auth_user", id, "date_joined", "NULL"),
                Time(reader, 8, "auth_user", id));
        }, cancellationToken);

    /// <summary>Up to <paramref name="count"/> devices with ids above <paramref name="afterId"/>, by id.</summary>
    public Task<List<DjangoDevice>> ReadDevicesAsync(long afterId, int count, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {DeviceColumns} FROM jwt_devices_device WHERE id > @after ORDER BY id LIMIT @count", afterId, count, reader =>
        {
            var id = reader.GetInt64(0);
            return new DjangoDevice(
                id,
                reader.GetInt64(1),
                Text(reader, 2),
                Text(reader, 3),
                Text(reader, 4),
                Time(reader, 5, "jwt_devices_device", id) ?? throw Unreadable("jwt_devices_device", id, "created", "NULL"),
                Time(reader, 6, "jwt_devices_device", id) ?? throw Unreadable("jwt_devices_device", id, "last_request_datetime", "NULL"));
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // Only ever read: rolling back ends the snapshot and changes nothing.
        if (_snapshot is not null)
        {
            await _snapshot.DisposeAsync();
        }
        await _connection.DisposeAsync();
    }

    private async Task RequireAsync(string table, string columns, CancellationToken cancellationToken)
    {
        try
        {
            await QueryAsync($"SELECT {columns} FROM {table} WHERE id > @after LIMIT @count", 0, 0, _ => 0, cancellationToken);
        }
        catch (DbException exception)
        {
            throw new DjangoImportException(
                $"the Django database has no readable {table} with the columns {columns} ({OneLine(exception.Message)}); is it drf-jwt-devices' database?");
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = _snapshot;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, long afterId, int count, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = _snapshot;
        command.CommandText = sql;
        AddParameter(command, "@after", afterId);
        AddParameter(command, "@count", count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>(count);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }
        return rows;
    }

    private static void AddParameter(DbCommand command, string name, long value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string Text(DbDataReader reader, int column) => reader.IsDBNull(column) ? string.Empty : reader.GetString(column);

    // PostgreSQL has booleans; Django's SQLite columns hold 0 and 1.
    private static bool Flag(DbDataReader reader, int column, string table, long id) =>
        reader.GetValue(column) switch
        {
            bool flag => flag,
            long number and (0 or 1) => number == 1,
            var other => throw Unreadable(table, id, reader.GetName(column), other),
        };

    // PostgreSQL's timestamptz arrives in UTC. Django writes SQLite times as UTC text without an offset
    // (with USE_TZ, its default since Django 5.0 and in every new project before).
    private static DateTimeOffset? Time(DbDataReader reader, int column, string table, long id) =>
        reader.GetValue(column) switch
        {
            DBNull => null,
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            DateTimeOffset time => time.ToUniversalTime(),
            string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) => time,
            var other => throw Unreadable(table, id, reader.GetName(column), other),
        };

    private static DjangoImportException Unreadable(string table, long id, string column, object value) =>
        new($"{table} row {id}: {column} '{OneLine(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty)}' is not what Django writes there.");

    internal static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length > 200 ? line[..200] + "..." : line;
    }
}
