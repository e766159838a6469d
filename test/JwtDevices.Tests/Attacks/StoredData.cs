using System.Globalization;
using System.Text;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace JwtDevices.Tests.Attacks;

/// <summary>
/// Every row of every JwtDevices table (<c>jwt_*</c>: devices, the revocation log, and any table added
/// later), read as text, to prove that an attack changed nothing that is stored.
/// </summary>
internal sealed record StoredData(IReadOnlyList<string> Rows)
{
    public static async Task<StoredData> ReadAsync(ServerFactory server) => await server.WithDatabaseAsync(async db =>
    {
        var tables = db.Model.GetEntityTypes()
            .Select(entity => entity.GetTableName())
            .OfType<string>()
            .Where(table => table.StartsWith("jwt_", StringComparison.Ordinal))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Contains("jwt_devices", tables);
        Assert.Contains("jwt_device_revocations", tables);

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            var rows = new List<string>();
            foreach (var table in tables)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT * FROM \"{table}\"";
                await using var reader = await command.ExecuteReaderAsync();
                var tableRows = new List<string>();
                while (await reader.ReadAsync())
                {
                    var row = new StringBuilder(table);
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        row.Append(CultureInfo.InvariantCulture, $" {reader.GetName(i)}={Text(reader.GetValue(i))}");
                    }
                    tableRows.Add(row.ToString());
                }
                rows.AddRange(tableRows.Order(StringComparer.Ordinal));
            }
            return new StoredData(rows);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    });

    /// <summary>Asserts that nothing was added, changed or removed since <paramref name="before"/>.</summary>
    public static async Task AssertUnchangedAsync(ServerFactory server, StoredData before)
    {
        var after = await ReadAsync(server);
        Assert.Equal(before.Rows, after.Rows);
    }

    private static string Text(object value) => value switch
    {
        byte[] bytes => Convert.ToBase64String(bytes),
        DBNull => "null",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
