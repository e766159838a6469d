using System.Collections.Concurrent;
using JwtDevices.EntityFrameworkCore;
using JwtDevices.Revocation;
using JwtDevices.StackExchangeRedis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// One node of a deployment: the real server on a database that other nodes share, on the system clock
/// (its revocation polling waits in real time), with Redis when an address is given, and every log line kept.
/// </summary>
public sealed class NodeFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string? _channel;

    /// <param name="database">The database settings the nodes share (Database:Provider, ConnectionStrings:Default) and any other.</param>
    /// <param name="pollInterval">JwtDevices:RevocationPollInterval.</param>
    /// <param name="redis">A StackExchange.Redis configuration string, or null for none.</param>
    /// <param name="channel">The revocation channel: one per test, so that tests on one Redis do not mix.</param>
    internal NodeFactory(IReadOnlyDictionary<string, string?> database, TimeSpan pollInterval, string? redis = null, string? channel = null)
    {
        _settings = new Dictionary<string, string?>(database)
        {
            ["ConnectionStrings:Redis"] = redis,
            ["JwtDevices:SigningKey"] = ServerFactory.SigningKey,
            ["JwtDevices:RevocationPollInterval"] = pollInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            // The timing tests log in a hundred devices from one address in seconds.
            ["RateLimits:Enabled"] = "false",
        };
        _channel = channel;
    }

    public ConcurrentQueue<string> LogLines { get; } = new();

    /// <summary>The node's revocation bus, if it has one.</summary>
    public IDeviceRevocationBus? Bus => Services.GetService<IDeviceRevocationBus>();

    /// <summary>How the node watches the revocation log between polls (PostgreSQL's NOTIFY, SQLite's data_version).</summary>
    internal EntityFrameworkRevocationLogWatcher Watcher => (EntityFrameworkRevocationLogWatcher)Services.GetRequiredService<IDeviceRevocationLogWatcher>();

    /// <summary>How many log lines of the category <typeparamref name="TCategory"/> carry this event id.</summary>
    public int CountLogged<TCategory>(int eventId) =>
        LogLines.Count(line => line.Contains($"{typeof(TCategory).FullName}[{eventId}]", StringComparison.Ordinal));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        // JwtDevices' debug lines too (such as each message received over Redis), whatever appsettings.json says.
        builder.ConfigureLogging(logging => logging
            .AddProvider(new ListLoggerProvider(LogLines))
            .AddFilter<ListLoggerProvider>("JwtDevices", LogLevel.Debug));
        if (_channel is not null)
        {
            builder.ConfigureTestServices(services => services.Configure<JwtDevicesRedisOptions>(options => options.Channel = _channel));
        }
    }
}
