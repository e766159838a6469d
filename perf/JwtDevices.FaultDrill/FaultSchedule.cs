using System.Globalization;

namespace JwtDevices.FaultDrill;

/// <summary>When each fault starts, counted from the start of the load: spread over the run, one at a time, with load between.</summary>
internal sealed record FaultSchedule(TimeSpan? RedisStop, TimeSpan PostgresKill, TimeSpan NodeKill)
{
    // Room after each fault for the nodes to recover under load, and after the node kill for the restarted node to serve.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Restart = TimeSpan.FromSeconds(8);

    public static FaultSchedule For(DrillSettings settings)
    {
        var duration = settings.Duration;
        var schedule = settings.WithRedis
            ? new FaultSchedule(duration * 0.12, duration * 0.40, duration * 0.68)
            : new FaultSchedule(null, duration * 0.20, duration * 0.55);
        var redisEnd = schedule.RedisStop + settings.RedisDown ?? TimeSpan.Zero;
        if (redisEnd + Settle > schedule.PostgresKill
            || schedule.PostgresKill + settings.PostgresDown + Settle > schedule.NodeKill
            || schedule.NodeKill + Restart + Settle > duration)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"DURATION={duration.TotalSeconds} s is too short for the faults ({schedule}); try {Math.Ceiling((settings.RedisDown + settings.PostgresDown).TotalSeconds * 2.2 + 20)}."));
        }
        return schedule;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"faults at {(RedisStop is { } redis ? $"{redis.TotalSeconds:0} s (Redis stopped), " : "")}{PostgresKill.TotalSeconds:0} s (PostgreSQL killed), {NodeKill.TotalSeconds:0} s (a node killed)");
}
