namespace JwtDevices.Tests.Infrastructure;

/// <summary>Waits for work a node does in the background (a poll, a cleanup) once its fake clock has moved.</summary>
internal static class Eventually
{
    /// <summary>Probes until the value is <paramref name="expected"/>, for up to 10 real seconds; returns the last value.</summary>
    public static async Task<T> ReachesAsync<T>(Func<Task<T>> probe, T expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        T value;
        do
        {
            value = await probe();
            if (EqualityComparer<T>.Default.Equals(value, expected))
            {
                return value;
            }
            await Task.Delay(20);
        }
        while (DateTime.UtcNow < deadline);
        return value;
    }

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, timeout);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(20);
        }
    }
}
