using System.Data.Common;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>
/// The connection broke in the middle of a transaction, which the driver reported only as a transaction already
/// ended. Transient, like the driver's own connection failures, so that endpoints answer 503 (the database is not
/// there for now) rather than 500; nothing of the transaction was committed unless its commit was under way.
/// </summary>
internal sealed class DatabaseConnectionLostException(InvalidOperationException inner)
    : DbException("The database connection broke during a transaction.", inner)
{
    public override bool IsTransient => true;
}
