using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using JwtDevices.Devices;
using JwtDevices.Tokens;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Benchmarks;

/// <summary>
/// Authenticates requests that carry the tokens of 1,000,000 distinct devices, taken in turn, so that no
/// device key is still cached when its token comes back (the cache holds 10,000): JwtDevices over the EF Core
/// store on SQLite, every device in the table and every database command counted, against JwtBearer with
/// its one key over 1,000,000 distinct tokens. After the run it prints how many database commands were sent
/// after set-up (there must be none) and the process's memory.
/// </summary>
[MemoryDiagnoser]
public class ManyDevicesBenchmarks
{
    public const int Devices = 1_000_000;

    // Devices are made, stored and given a token this many at a time, so that set-up never holds them all.
    private const int Chunk = 10_000;

    private readonly CommandCounter _commands = new();
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"jwtdevices-benchmark-{Guid.NewGuid():N}.db");
    private readonly string[] _headers = new string[Devices];
    private ServiceProvider _services = null!;
    private string _method = null!;
    private string _scheme = null!;
    private int _next;
    private long _heapAfterSetup;

    [GlobalSetup(Target = nameof(JwtBearerScheme))]
    public async Task SetupJwtBearerAsync()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        _services = CreateServices(key);
        var credentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256);
        Parallel.For(0, Devices, i => _headers[i] = "Bearer " + BenchmarkData.CreatePlainToken(credentials));
        await FinishSetupAsync(nameof(JwtBearerScheme), JwtBearerDefaults.AuthenticationScheme);
    }

    [GlobalSetup(Target = nameof(JwtDevicesScheme))]
    public async Task SetupJwtDevicesAsync()
    {
        _services = CreateServices(RandomNumberGenerator.GetBytes(32));
        var tokens = _services.GetRequiredService<AccessTokenService>();
        await using (var scope = _services.CreateAsyncScope())
        {
            var context = scope.ServiceProvider.GetRequiredService<BenchmarkDbContext>();
            await context.Database.EnsureCreatedAsync();
            await using var table = await DeviceTableWriter.OpenAsync(context, $"Data Source={_database}");
            for (var start = 0; start < Devices; start += Chunk)
            {
                var devices = new Device[Chunk];
                for (var i = 0; i < Chunk; i++)
                {
                    devices[i] = BenchmarkData.NewDevice();
                    devices[i].Id = start + i + 1;
                }
                await table.InsertAsync(devices);
                Parallel.For(0, Chunk, i =>
                    _headers[start + i] = "Bearer " + tokens.CreateToken(BenchmarkData.User, tokens.CreateCredentials(devices[i])));
            }
            await table.CommitAsync();

            // Through EF Core, so the counter is seen to count.
            var stored = await context.Set<Device>().CountAsync();
            if (stored != Devices || _commands.Count == 0)
            {
                throw new InvalidOperationException($"Set-up is wrong: {stored} devices stored, {_commands.Count} commands counted.");
            }
        }
        await FinishSetupAsync(nameof(JwtDevicesScheme), JwtDevicesDefaults.AuthenticationScheme);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        var commands = _commands.Count;
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var workingSet = Environment.WorkingSet;
        var failures = await CountFailuresAsync(step: Devices / 1000);
        var tokenBytes = _headers.Sum(header => 22L + (2L * header.Length));
        Console.WriteLine(
            $"// {_method} over {Devices:N0} distinct tokens: {commands} database commands after set-up; "
            + $"{failures} of 1,000 tokens re-checked after the run refused; managed heap {Megabytes(_heapAfterSetup)} MB after set-up "
            + $"and {Megabytes(heap)} MB after the run (the token strings take {Megabytes(tokenBytes)} MB); working set {Megabytes(workingSet)} MB.");

        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    [Benchmark(Baseline = true)]
    public Task<AuthenticateResult> JwtBearerScheme() =>
        BenchmarkServices.AuthenticateAsync(_services, JwtBearerDefaults.AuthenticationScheme, NextHeader());

    [Benchmark]
    public Task<AuthenticateResult> JwtDevicesScheme() =>
        BenchmarkServices.AuthenticateAsync(_services, JwtDevicesDefaults.AuthenticationScheme, NextHeader());

    private string NextHeader()
    {
        var header = _headers[_next];
        _next = _next + 1 == Devices ? 0 : _next + 1;
        return header;
    }

    private ServiceProvider CreateServices(byte[] key) => BenchmarkServices.Create(key, services => services
        .AddDbContext<BenchmarkDbContext>(options => options.UseSqlite($"Data Source={_database}").AddInterceptors(_commands))
        .AddJwtDevicesEntityFrameworkStore<BenchmarkDbContext>());

    private async Task FinishSetupAsync(string method, string scheme)
    {
        _method = method;
        _scheme = scheme;
        if (await CountFailuresAsync(step: Devices / 100) > 0)
        {
            throw new InvalidOperationException("Set-up is wrong: a token was refused.");
        }
        _commands.Reset();
        _heapAfterSetup = GC.GetTotalMemory(forceFullCollection: true);
    }

    private async Task<int> CountFailuresAsync(int step)
    {
        var failures = 0;
        for (var i = step - 1; i < Devices; i += step)
        {
            if (!(await BenchmarkServices.AuthenticateAsync(_services, _scheme, _headers[i])).Succeeded)
            {
                failures++;
            }
        }
        return failures;
    }

    private static long Megabytes(long bytes) => bytes / (1024 * 1024);
}
