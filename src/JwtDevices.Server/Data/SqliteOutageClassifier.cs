using JwtDevices.Endpoints;
using Microsoft.Data.Sqlite;

namespace JwtDevices.Server.Data;

/// <summary>
/// SQLite's "the database is not there for now", which its exceptions do not mark as transient: the file
/// cannot be opened, is locked past the busy timeout, or the disk fails or is full. Any other SQLite error is a bug.
/// </summary>
internal sealed class SqliteOutageClassifier : IStoreOutageClassifier
{
    // https://www.sqlite.org/rescode.html
    private const int Busy = 5, Locked = 6, IoError = 10, Full = 13, CannotOpen = 14, Protocol = 15;

    public bool IsOutage(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: Busy or Locked or IoError or Full or CannotOpen or Protocol };
}
