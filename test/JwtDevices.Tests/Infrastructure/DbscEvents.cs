using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// The DBSC events Chromium reports for one page (<c>Network.deviceBoundSessionEventOccurred</c>, after
/// <c>Network.enableDeviceBoundSessions</c>). An ignored registration header makes no event at all, so a
/// missing event within a time is the failure signal.
/// </summary>
public sealed class DbscEvents
{
    private readonly ConcurrentQueue<JsonElement> _events = new();

    private DbscEvents()
    {
    }

    public static async Task<DbscEvents> WatchAsync(IBrowserContext context, IPage page)
    {
        var events = new DbscEvents();
        var cdp = await context.NewCDPSessionAsync(page);
        cdp.Event("Network.deviceBoundSessionEventOccurred").OnEvent += (_, element) =>
        {
            if (element is { } value)
            {
                events._events.Enqueue(value.Clone());
            }
        };
        await cdp.SendAsync("Network.enable");
        await cdp.SendAsync("Network.enableDeviceBoundSessions", new() { ["enable"] = true });
        return events;
    }

    /// <summary>Every event so far, as JSON, for failure messages.</summary>
    public string Describe() => string.Join(Environment.NewLine, _events.Select(e => e.GetRawText()));

    /// <summary>The events with this details member (<c>creationEventDetails</c>, <c>refreshEventDetails</c>, <c>challengeEventDetails</c>, <c>terminationEventDetails</c>).</summary>
    public IReadOnlyList<JsonElement> Of(string details) => [.. _events.Where(e => e.TryGetProperty(details, out _))];

    /// <summary>Waits up to <paramref name="timeout"/> for a successful event of this kind beyond the first <paramref name="after"/> of them.</summary>
    public async Task<JsonElement?> WaitForAsync(string details, TimeSpan timeout, int after = 0)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var found = Of(details).Where(Succeeded).Skip(after).FirstOrDefault();
            if (found.ValueKind != JsonValueKind.Undefined)
            {
                return found;
            }
            await Task.Delay(100);
        }
        return null;
    }

    public static bool Succeeded(JsonElement e) => e.TryGetProperty("succeeded", out var ok) && ok.ValueKind == JsonValueKind.True;
}
