using System.Collections.Concurrent;
using JwtDevices.Server.Commands;
using JwtDevices.Server.Data;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace JwtDevices.Tests.Infrastructure;

/// <summary>
/// The real server (its Program, middleware and endpoints) on a fresh database of its own (a SQLite file,
/// or a PostgreSQL database that it drops when disposed), with a fake clock, a database command counter
/// and every log line kept.
/// </summary>
public class ServerFactory : WebApplicationFactory<Program>
{
    public const string SigningKey = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80="; // test-only, 256 bits

    private const string ConnectionStringKey = "ConnectionStrings:Default";

    private readonly string _directory = Directory.CreateTempSubdirectory("jwtdevices-tests-").FullName;
    private readonly Dictionary<string, string?> _settings;
    private readonly PostgresTestDatabase? _ownDatabase;
    private readonly List<Action<IServiceCollection>> _services = [];
    private bool _started;

    public ServerFactory() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>A SQLite server with these configuration settings on top of the test defaults.</summary>
    internal ServerFactory(params (string Key, string? Value)[] settings) : this(DatabaseProvider.Sqlite, settings)
    {
    }

    /// <summary>
    /// A server on <paramref name="provider"/> with these settings on top of the test defaults. Unless the
    /// settings name a connection string, it gets a database of its own.
    /// </summary>
    internal ServerFactory(DatabaseProvider provider, params (string Key, string? Value)[] settings)
    {
        Provider = provider;
        var ownsDatabase = !settings.Any(setting => setting.Key == ConnectionStringKey);
        if (provider == DatabaseProvider.Postgres && ownsDatabase)
        {
            _ownDatabase = new PostgresTestDatabase();
        }
        _settings = new Dictionary<string, string?>
        {
            [ServerDatabase.ProviderKey] = provider.ToString(),
            [ConnectionStringKey] = _ownDatabase?.ConnectionString ?? $"Data Source={DatabasePath}",
            ["JwtDevices:SigningKey"] = SigningKey,
            // Tests log in often from one address; the rate-limit tests turn the limits on.
            ["RateLimits:Enabled"] = "false",
        };
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    internal DatabaseProvider Provider { get; }

    public string ConnectionString => _settings[ConnectionStringKey]!;

    /// <summary>The SQLite file of a server on SQLite.</summary>
    public string DatabasePath => Path.Combine(_directory, "test.db");

    /// <summary>Adds settings to this server, before it starts; returns it.</summary>
    internal ServerFactory WithSettings(params (string Key, string? Value)[] settings)
    {
        Assert.False(_started, "Settings must be added before the server starts.");
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
        return this;
    }

    /// <summary>Adds services (after the server's own) to this server, before it starts; returns it.</summary>
    internal ServerFactory WithServices(Action<IServiceCollection> configure)
    {
        Assert.False(_started, "Services must be added before the server starts.");
        _services.Add(configure);
        return this;
    }

    /// <summary>
    /// Creates this server's database empty, before it starts, as an operator would before the first node
    /// starts (a SQLite file is created on first use).
    /// </summary>
    internal void CreateEmptyDatabase() => _ownDatabase?.Create();

    /// <summary>A server of the same provider on a database of its own, with these settings.</summary>
    internal ServerFactory WithOwnDatabase(params (string Key, string? Value)[] settings) => new(Provider, settings);

    /// <summary>A server on this server's database, as after a restart or as another node: it drops nothing.</summary>
    internal ServerFactory OnSameDatabase(params (string Key, string? Value)[] settings) =>
        new(Provider, [(ConnectionStringKey, ConnectionString), .. settings]);

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public CommandCounter Commands { get; } = new();

    public ConcurrentQueue<string> LogLines { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        _started = true;
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(new ListLoggerProvider(LogLines)).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<IInterceptor>(Commands);
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    /// <summary>Adds a user through the server's own users command; returns its id.</summary>
    public async Task<long> AddUserAsync(string name, string password = "password123", string? email = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await UsersCommand.AddUserAsync(Services, name, password, email ?? $"{name}@example.com", output, error);
        Assert.True(exitCode == 0, error.ToString());
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ServerUser>>();
        return (await users.FindByNameAsync(name))!.Id;
    }

    /// <summary>Runs <paramref name="action"/> on a fresh context of the server's database.</summary>
    public async Task<T> WithDatabaseAsync<T>(Func<ServerDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<ServerDbContext>());
    }

    public Task<int> CountDevicesAsync() => WithDatabaseAsync(db => db.Set<Devices.Device>().CountAsync());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _ownDatabase?.Drop();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the temp folder is cleaned by the system.
            }
        }
    }
}
