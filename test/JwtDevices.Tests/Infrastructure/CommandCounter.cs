using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>Counts every database command EF Core sends.</summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        Interlocked.Increment(ref _count);
        return result;
    }
}
