using Npgsql;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// A database of its own on the test PostgreSQL server (<see cref="TestServices.Postgres"/>), named
/// <c>jwtdevices_test_*</c>. The server under test creates it when it migrates; <see cref="Drop"/> removes it.
/// </summary>
internal sealed class PostgresTestDatabase
{
    private readonly NpgsqlConnectionStringBuilder _server = new(TestServices.PostgresConnectionString);

    public PostgresTestDatabase()
    {
        Name = $"jwtdevices_test_{Guid.NewGuid():N}";
        ConnectionString = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = Name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>Creates it empty, as an operator would before the first node starts.</summary>
    public void Create() => Execute($"CREATE DATABASE \"{Name}\"");

    /// <summary>Closes the pooled connections to it, then drops it (and any connection still open).</summary>
    public void Drop()
    {
        using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }
        try
        {
            Execute($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
        }
        catch (NpgsqlException)
        {
            // The server is down (a test stopped it): the throw-away cluster goes with its folder.
        }
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = "postgres" }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
