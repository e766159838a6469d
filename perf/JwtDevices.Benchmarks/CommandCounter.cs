using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace JwtDevices.Benchmarks;

/// <summary>Counts every database command EF Core sends, as the tests' counter does.</summary>
internal sealed class CommandCounter : DbCommandInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Volatile.Write(ref _count, 0);

    public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
    {
        Interlocked.Increment(ref _count);
        return result;
    }
}
