using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JwtDevices.Client;

// Benchmark-only: the DPoP half of perf/load.sh's DPOP=1 mode. Logs DEVICES devices in to the server, each with a
// DPoP proof by its own new P-256 key (so each device is bound), checks that GET /me answers 200 to a bound
// request, then signs the request proofs of the whole run ahead of time, since signing in the load generator would
// measure the client: one file per wrk run and thread, each line "<device number> <proof>" (a fresh jti, htm GET,
// htu <server>/me, iat now, ath of that device's token). The tokens go to bound-tokens, one a line, device 1 first.
//
// Usage: JwtDevices.DpopProofs --server http://127.0.0.1:5301 --devices 1 --runs 6 --threads 2 --proofs-per-file 100000
//        --out DIR [--username bench --password bench-password]
var options = ParseArguments(args);
var server = new Uri(options["server"].TrimEnd('/') + "/");
var devices = int.Parse(options["devices"], CultureInfo.InvariantCulture);
var runs = int.Parse(options["runs"], CultureInfo.InvariantCulture);
var threads = int.Parse(options["threads"], CultureInfo.InvariantCulture);
var proofsPerFile = int.Parse(options["proofs-per-file"], CultureInfo.InvariantCulture);
var output = options["out"];
var meUri = new Uri(server, "me");

using var http = new HttpClient();
var keys = new ECDsa[devices];
var tokens = new string[devices];
// The password hash is slow on purpose: four log-ins at a time, as load.sh's unbound log-ins.
await Parallel.ForAsync(0, devices, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (device, cancellationToken) =>
{
    keys[device] = DpopProof.CreateKey();
    tokens[device] = await LogInAsync(device, cancellationToken);
});
await File.WriteAllLinesAsync(Path.Combine(output, "bound-tokens"), tokens);
await CheckBoundRequestAsync();

// Each file gets its own copies of the keys (an ECDsa is not documented thread-safe), so files sign in parallel.
var parameters = keys.Select(key => key.ExportParameters(includePrivateParameters: true)).ToArray();
var files = Enumerable.Range(0, runs + 1).SelectMany(run => Enumerable.Range(1, threads).Select(thread => (Run: run, Thread: thread)));
Parallel.ForEach(files, file =>
{
    var ownKeys = parameters.Select(ECDsa.Create).ToArray();
    using var writer = new StreamWriter(Path.Combine(output, $"proofs.{file.Run}.{file.Thread}"), append: false, new UTF8Encoding(false), 1 << 16);
    for (var line = 0; line < proofsPerFile; line++)
    {
        // Threads start on different devices, so that a thread's requests spread over all of them.
        var device = (line + file.Thread) % devices;
        writer.Write((device + 1).ToString(CultureInfo.InvariantCulture));
        writer.Write(' ');
        writer.Write(DpopProof.Create(ownKeys[device], HttpMethod.Get, meUri, tokens[device], null, DateTimeOffset.UtcNow));
        writer.Write('\n');
    }
    foreach (var key in ownKeys)
    {
        key.Dispose();
    }
});
Console.WriteLine($"Signed {(runs + 1) * threads * (long)proofsPerFile} proofs for {devices} bound device(s).");
return 0;

async Task<string> LogInAsync(int device, CancellationToken cancellationToken)
{
    var logInUri = new Uri(server, "auth-token/");
    using var request = new HttpRequestMessage(HttpMethod.Post, logInUri)
    {
        Content = new StringContent(
            JsonSerializer.Serialize(new Dictionary<string, string> { ["username"] = options.GetValueOrDefault("username", "bench"), ["password"] = options.GetValueOrDefault("password", "bench-password") }),
            Encoding.UTF8,
            "application/json"),
    };
    request.Headers.Add("X-Device-Model", $"wrk-dpop-{device + 1}");
    request.Headers.Add("DPoP", DpopProof.Create(keys[device], HttpMethod.Post, logInUri, null, null, DateTimeOffset.UtcNow));
    using var response = await http.SendAsync(request, cancellationToken);
    var body = await response.Content.ReadAsStringAsync(cancellationToken);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"The log-in with a DPoP proof answered {(int)response.StatusCode}: {body}");
    }
    using var json = JsonDocument.Parse(body);
    if (!json.RootElement.TryGetProperty("token_type", out var type) || type.GetString() != "DPoP")
    {
        throw new InvalidOperationException("The log-in with a DPoP proof did not bind the device (no \"token_type\": \"DPoP\"): is JwtDevices:Dpop:Mode Disabled?");
    }
    return json.RootElement.GetProperty("token").GetString()!;
}

async Task CheckBoundRequestAsync()
{
    using var request = new HttpRequestMessage(HttpMethod.Get, meUri);
    request.Headers.Authorization = new AuthenticationHeaderValue("DPoP", tokens[0]);
    request.Headers.Add("DPoP", DpopProof.Create(keys[0], HttpMethod.Get, meUri, tokens[0], null, DateTimeOffset.UtcNow));
    using var response = await http.SendAsync(request);
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"A bound GET /me answered {(int)response.StatusCode} {response.Headers.WwwAuthenticate}: {body}");
    }
    Console.WriteLine($"  JwtDevices, bound (DPoP) GET /me: {body}");
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Expected an option such as --server, got \"{args[i]}\".");
        }
        parsed[args[i][2..]] = args[i + 1];
    }
    foreach (var required in new[] { "server", "devices", "runs", "threads", "proofs-per-file", "out" })
    {
        if (!parsed.ContainsKey(required))
        {
            throw new ArgumentException($"--{required} is required (see the usage at the top of Program.cs).");
        }
    }
    return parsed;
}
