using System.Diagnostics;

namespace JwtDevices.FaultDrill;

/// <summary>
/// One set-up of the drill: two nodes start on the database, the clients run for <see cref="DrillSettings.Duration"/>,
/// and on a fixed schedule Redis is stopped (with Redis), PostgreSQL is killed and started again, and a node is
/// killed with SIGKILL and started again. Then the clients stop and the final checks run.
/// </summary>
internal sealed class Drill(DrillSettings settings) : IDisposable
{
    private readonly Ledger _ledger = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<ServerNode> _nodes = [];

    public async Task<bool> RunAsync()
    {
        var schedule = FaultSchedule.For(settings);
        _nodes.Add(new ServerNode("a", settings.NodePorts[0], settings));
        _nodes.Add(new ServerNode("b", settings.NodePorts[1], settings));
        var startUp = Stopwatch.StartNew();
        await Task.WhenAll(_nodes.Select(node => node.StartAsync(_http, CancellationToken.None)));
        Console.WriteLine($"[fault drill ({settings.SetUp})] two nodes up in {startUp.Elapsed.TotalSeconds:0.0} s; {settings.Clients} clients, about {settings.RequestsPerSecond:0} requests/s, for {settings.Duration.TotalSeconds:0} s; {schedule}");

        var http = new DrillHttp(_http, _ledger, _nodes);
        using var stopping = new CancellationTokenSource();
        using var watching = new CancellationTokenSource();
        var health = _nodes.Select(node => WatchHealthAsync(node, watching.Token)).ToList();
        var loadStart = _ledger.Now;
        var clients = Enumerable.Range(0, settings.Clients)
            .Select(_ => Task.Run(() => new SimulatedClient(http, _ledger, settings).RunAsync(stopping.Token)))
            .ToList();

        var services = new BackingServices(settings);
        if (schedule.RedisStop is { } redisStop)
        {
            await UntilAsync(loadStart + redisStop);
            var start = _ledger.Now;
            await services.StopRedisAsync();
            Say("Redis stopped");
            await Task.Delay(settings.RedisDown);
            await services.StartRedisAsync();
            _ledger.Faults.Enqueue(new FaultWindow("Redis down", start, _ledger.Now));
            Say("Redis started again");
        }

        await UntilAsync(loadStart + schedule.PostgresKill);
        var killed = _ledger.Now;
        services.KillPostgres();
        Say("PostgreSQL's postmaster killed (SIGKILL)");
        await Task.Delay(settings.PostgresDown);
        await services.StartPostgresAsync();
        _ledger.Faults.Enqueue(new FaultWindow("PostgreSQL down", killed, _ledger.Now));
        Say("PostgreSQL started again");

        await UntilAsync(loadStart + schedule.NodeKill);
        var victim = _nodes[settings.WithRedis ? 1 : 0];
        var nodeKilled = _ledger.Now;
        victim.Kill();
        Say($"node {victim.Name} killed (SIGKILL)");
        await victim.StartAsync(_http, CancellationToken.None);
        _ledger.Faults.Enqueue(new FaultWindow($"node {victim.Name} down", nodeKilled, _ledger.Now));
        Say($"node {victim.Name} started again");

        await UntilAsync(loadStart + settings.Duration);
        await stopping.CancelAsync();
        await Task.WhenAll(clients);
        var loadEnd = _ledger.Now;
        await watching.CancelAsync();
        await Task.WhenAll(health);
        Say($"load stopped after {(loadEnd - loadStart).TotalSeconds:0.0} s; checking every device on both nodes");

        var final = await FinalChecks.RunAsync(http, _ledger);
        return new Verdict(settings, _ledger, final, _nodes).Print();
    }

    private async Task WatchHealthAsync(ServerNode node, CancellationToken cancellationToken)
    {
        var uri = new Uri(node.BaseAddress, "/health/ready");
        while (!cancellationToken.IsCancellationRequested)
        {
            string status;
            try
            {
                using var response = await _http.GetAsync(uri, CancellationToken.None);
                status = await response.Content.ReadAsStringAsync(CancellationToken.None);
            }
            catch (HttpRequestException)
            {
                status = "down";
            }
            _ledger.Health.Enqueue(new HealthReading(node.Name, _ledger.Now, status));
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
    }

    private async Task UntilAsync(TimeSpan at)
    {
        if (at > _ledger.Now)
        {
            await Task.Delay(at - _ledger.Now);
        }
    }

    private void Say(string what) => Console.WriteLine($"[fault drill ({settings.SetUp})] {_ledger.Now.TotalSeconds,7:0.0} s  {what}");

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }
        _http.Dispose();
    }
}
