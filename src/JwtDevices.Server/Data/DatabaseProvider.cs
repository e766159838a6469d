namespace JwtDevices.Server.Data;

/// <summary>The databases the server runs on, chosen by <c>Database:Provider</c>.</summary>
internal enum DatabaseProvider
{
    /// <summary>A SQLite file: the default, for one node.</summary>
    Sqlite,

    /// <summary>PostgreSQL, through Npgsql: for several nodes sharing one database.</summary>
    Postgres,
}
