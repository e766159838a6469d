using JwtDevices.Devices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Benchmarks;

/// <summary>
/// Fills the device table fast for set-up: one prepared insert in one transaction, on a connection of its own,
/// so EF Core neither tracks nor counts it. Table and column names come from the EF Core model.
/// </summary>
internal sealed class DeviceTableWriter : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;
    private readonly SqliteCommand _insert;

    private DeviceTableWriter(SqliteConnection connection, SqliteTransaction transaction, SqliteCommand insert) =>
        (_connection, _transaction, _insert) = (connection, transaction, insert);

    public static async Task<DeviceTableWriter> OpenAsync(DbContext context, string connectionString)
    {
        var entity = context.Model.FindEntityType(typeof(Device))!;
        string[] properties =
        [
            nameof(Device.Id), nameof(Device.UserId), nameof(Device.Name), nameof(Device.Details),
            nameof(Device.PermanentTokenHash), nameof(Device.PermanentTokenGeneration), nameof(Device.KeySalt),
            nameof(Device.Created), nameof(Device.LastRequest),
        ];
        var columns = string.Join(", ", properties.Select(p => $"\"{entity.FindProperty(p)!.GetColumnName()}\""));
        var parameters = string.Join(", ", properties.Select(p => "$" + p));

        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var insert = connection.CreateCommand();
        insert.Transaction = transaction;
#pragma warning disable CA2100 // The names come from the EF Core model, not from input.
        insert.CommandText = $"INSERT INTO \"{entity.GetTableName()}\" ({columns}) VALUES ({parameters})";
#pragma warning restore CA2100
        foreach (var property in properties)
        {
            insert.Parameters.Add(new SqliteParameter("$" + property, null));
        }
        return new DeviceTableWriter(connection, transaction, insert);
    }

    public async Task InsertAsync(IEnumerable<Device> devices)
    {
        foreach (var device in devices)
        {
            _insert.Parameters["$Id"].Value = device.Id;
            _insert.Parameters["$UserId"].Value = device.UserId;
            _insert.Parameters["$Name"].Value = device.Name;
            _insert.Parameters["$Details"].Value = device.Details;
            _insert.Parameters["$PermanentTokenHash"].Value = device.PermanentTokenHash;
            _insert.Parameters["$PermanentTokenGeneration"].Value = device.PermanentTokenGeneration;
            _insert.Parameters["$KeySalt"].Value = device.KeySalt;
            _insert.Parameters["$Created"].Value = (device.Created - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
            _insert.Parameters["$LastRequest"].Value = (device.LastRequest - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
            await _insert.ExecuteNonQueryAsync();
        }
    }

    public Task CommitAsync() => _transaction.CommitAsync();

    public async ValueTask DisposeAsync()
    {
        await _insert.DisposeAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
