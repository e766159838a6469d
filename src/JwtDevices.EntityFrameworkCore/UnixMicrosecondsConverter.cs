using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>
/// Stores a time as microseconds since the Unix epoch (UTC), so that SQL compares and orders it correctly
/// on every provider (SQLite keeps <see cref="DateTimeOffset"/> as text that does not compare).
/// </summary>
internal sealed class UnixMicrosecondsConverter() : ValueConverter<DateTimeOffset, long>(
    time => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond,
    microseconds => DateTimeOffset.UnixEpoch.AddTicks(microseconds * TimeSpan.TicksPerMicrosecond))
{
    public static readonly UnixMicrosecondsConverter Instance = new();
}
