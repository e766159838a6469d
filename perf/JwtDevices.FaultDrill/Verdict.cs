using System.Globalization;

namespace JwtDevices.FaultDrill;

/// <summary>Judges the ledger and the final checks, prints the figures and one PASS or FAIL line a check, and says whether all passed.</summary>
internal sealed class Verdict(DrillSettings settings, Ledger ledger, FinalResult final, IReadOnlyList<ServerNode> nodes)
{
    private static readonly TimeSpan NodeGrace = TimeSpan.FromSeconds(1);
    private readonly List<string> _failed = [];

    private string Label => $"fault drill ({settings.SetUp})";

    public bool Print()
    {
        var exchanges = ledger.Exchanges.ToList();
        var faults = ledger.Faults.ToList();
        foreach (var fault in faults)
        {
            Line($"{fault.What} from {fault.Start.TotalSeconds:0.0} s to {fault.End.TotalSeconds:0.0} s");
        }
        PrintHealth();
        PrintStatuses(exchanges);
        CheckServerErrors(exchanges, faults);
        CheckRevocations(exchanges);
        CheckDevices();
        PrintProblems();
        Line(_failed.Count == 0 ? "PASSED" : $"FAILED: {string.Join("; ", _failed)}");
        return _failed.Count == 0;
    }

    /// <summary>Each node's <c>/health/ready</c> as it changed: when the database, Redis or the listener were seen down and back.</summary>
    private void PrintHealth()
    {
        foreach (var node in ledger.Health.GroupBy(reading => reading.Node).OrderBy(group => group.Key))
        {
            var changes = new List<string>();
            string? last = null;
            foreach (var reading in node.OrderBy(reading => reading.At))
            {
                if (reading.Status != last)
                {
                    changes.Add(string.Create(CultureInfo.InvariantCulture, $"{reading.At.TotalSeconds:0.0} s {reading.Status}"));
                    last = reading.Status;
                }
            }
            Line($"node {node.Key} /health/ready: {string.Join(", ", changes)}");
        }
    }

    private void PrintStatuses(List<Exchange> exchanges)
    {
        Line($"requests by status ({exchanges.Count} in all; 0 = no answer):");
        foreach (var operation in exchanges.GroupBy(exchange => exchange.Operation).OrderBy(group => group.Key))
        {
            var counts = operation.GroupBy(exchange => exchange.Status).OrderBy(group => group.Key).Select(group => $"{group.Key} × {group.Count()}");
            Line($"  {operation.Key,-16} {string.Join(", ", counts)}");
        }
    }

    private void CheckServerErrors(List<Exchange> exchanges, List<FaultWindow> faults)
    {
        var serverErrors = exchanges.Where(exchange => exchange.Status >= 500 && exchange.Status != 503).ToList();
        Check("no 500", serverErrors.Count == 0, serverErrors.Count == 0
            ? "no 5xx other than 503"
            : $"{serverErrors.Count} answers: {string.Join(", ", serverErrors.Take(5).Select(Describe))}");

        var outages = faults.Where(fault => fault.What.StartsWith("PostgreSQL", StringComparison.Ordinal)).ToList();
        var unavailable = exchanges.Where(exchange => exchange.Status == 503).ToList();
        var outside = unavailable.Where(exchange => !outages.Any(outage => Overlaps(exchange, outage, settings.OutageGrace))).ToList();
        Check("503 only during the database outage", outside.Count == 0,
            $"{unavailable.Count} answers 503, {outside.Count} outside the outage + {settings.OutageGrace.TotalSeconds:0} s grace"
            + (outside.Count == 0 ? "" : $": {string.Join(", ", outside.Take(5).Select(Describe))}"));

        var unanswered = exchanges.Where(exchange => exchange.Status == 0).ToList();
        var stray = unanswered.Where(exchange => !faults.Any(fault => fault.What == $"node {exchange.Node} down" && Overlaps(exchange, fault, NodeGrace))).ToList();
        Check("connections fail only to the killed node while it is down", stray.Count == 0,
            $"{unanswered.Count} requests got no answer, {stray.Count} of them elsewhere or at another time"
            + (stray.Count == 0 ? "" : $": {string.Join(", ", stray.Take(5).Select(Describe))}"));
    }

    private void CheckRevocations(List<Exchange> exchanges)
    {
        var samples = ledger.Revocations.ToList();
        var measured = samples.Where(sample => sample is { OtherWasDown: false, Refused: not null }).ToList();
        var fast = measured.Where(FastPathExpected).Select(sample => sample.Refused!.Value).ToList();
        var polled = measured.Where(sample => !FastPathExpected(sample)).Select(sample => sample.Refused!.Value).ToList();
        var never = samples.Where(sample => sample is { Refused: null, OtherWasDown: false }).ToList();
        var whileDown = samples.Count(sample => sample.OtherWasDown);
        // A probe's answer cannot come sooner than a request takes: the run's own GET /me p99 is added to the target.
        // Without Redis, a notified node reads the log before it refuses (docs/many-nodes.md): one database round trip
        // more, for which the run's own p99 of a refresh answered 200 (a request that reads the database) stands.
        var requests = Latencies(exchanges, Operation.Me, 200);
        var requestP99 = requests.Count == 0 ? TimeSpan.Zero : Percentile(requests, 99);
        var databaseReads = Latencies(exchanges, Operation.Refresh, 200);
        var logReadP99 = settings.WithRedis || databaseReads.Count == 0 ? TimeSpan.Zero : Percentile(databaseReads, 99);
        var fastBound = settings.FastBound + requestP99 + logReadP99 + settings.FastMargin;
        var pollBound = settings.PollInterval + settings.PollMargin;
        var carriers = settings.WithRedis ? "Redis and PostgreSQL's NOTIFY" : "PostgreSQL's NOTIFY";

        Line($"revocation: after each log-out answered 204, the time until the OTHER node answered 401 to the device's JWT:");
        Line($"  all log-outs:    {Describe(measured.Select(sample => sample.Refused!.Value).ToList())}");
        Line($"  GET /me in the same run, for the measurement's resolution: {Describe(requests)}");
        if (!settings.WithRedis)
        {
            Line($"  refresh answered 200 in the same run, for one read of the log: {Describe(databaseReads)}");
        }
        Line($"  fast path ({carriers} heard): {Describe(fast)}; bound p99 ≤ {Ms(fastBound)} ({Ms(settings.FastBound)}, the two-node target, + {Ms(requestP99)}, GET /me's p99 in this run"
            + (settings.WithRedis ? "" : $", + {Ms(logReadP99)}, a refresh's p99 in this run, for the log read")
            + (settings.FastMargin > TimeSpan.Zero ? $", + {Ms(settings.FastMargin)} FAST_MARGIN_MS" : "") + ")");
        Line($"  poll only (the other node {(settings.WithRedis ? "still starting" : "Degraded, not listening, or still starting")}, or back from its kill less than {settings.OutageGrace.TotalSeconds:0} s before): {Describe(polled)}; bound every one ≤ {Ms(pollBound)} (RevocationPollInterval {Ms(settings.PollInterval)} + {Ms(settings.PollMargin)})");
        Line($"  the other node was down at the log-out: {whileDown} (not timed; the final checks ask both nodes)");
        Line($"  refused by the first probe already: {measured.Count(sample => sample.FirstProbeRefused)} of {measured.Count} (their time is the probe's own round trip)");
        var slowest = measured.OrderByDescending(sample => sample.Refused).Take(5)
            .Select(sample => string.Create(CultureInfo.InvariantCulture, $"{Ms(sample.Refused!.Value)} on node {sample.OtherNode} after a log-out at {sample.At.TotalSeconds:0.0} s{(FastPathExpected(sample) ? "" : " (poll only)")}"));
        Line($"  slowest: {string.Join("; ", slowest)}");
        var slowestOfAll = measured.Count == 0 ? TimeSpan.Zero : measured.Max(sample => sample.Refused!.Value);
        var fastP99 = fast.Count == 0 ? TimeSpan.Zero : Percentile(fast, 99);
        // Without a log-out timed while the fast path was up, nothing shows that it carries revocations: a failure.
        Check("revocation within its bound on every node",
            fast.Count > 0 && never.Count == 0 && slowestOfAll <= pollBound && fastP99 <= fastBound,
            fast.Count == 0
                ? $"no log-out could be timed while the fast path was up ({measured.Count} timed in all)"
                : $"fast path p99 {Ms(fastP99)} (≤ {Ms(fastBound)}), slowest of all {Ms(slowestOfAll)} (≤ {Ms(pollBound)}), {measured.Count} log-outs timed, "
                    + $"{never.Count} still taken by the other node when the drill gave up");
    }

    /// <summary>
    /// Whether the other node had a way to hear of the revocation at once, by its <c>/health/ready</c> just before and
    /// just after the log-out. With Redis, revocations arrive by Redis or by NOTIFY, and the drill never stops both at
    /// once, so only a node still starting (not yet answering its health check) is left to the poll. Without Redis,
    /// only a node that reads "Healthy" listens: "Degraded" is a listener down (after PostgreSQL's outage) or not yet
    /// connected. A node back from its kill for less than the outage grace is still warming up (its first requests
    /// compile as they go), so its first refusals time that rather than the carrier: the poll's bound holds for them.
    /// </summary>
    private bool FastPathExpected(RevocationSample sample)
    {
        var restarted = ledger.Faults.Any(fault => fault.What == $"node {sample.OtherNode} down"
            && fault.End <= sample.At && sample.At - fault.End < settings.OutageGrace);
        if (restarted)
        {
            return false;
        }
        var readings = ledger.Health.Where(reading => reading.Node == sample.OtherNode).OrderBy(reading => reading.At).ToList();
        var around = new[] { readings.LastOrDefault(reading => reading.At <= sample.At), readings.FirstOrDefault(reading => reading.At > sample.At) };
        return settings.WithRedis
            ? around.All(reading => reading is not null && reading.Status != "down")
            : around.All(reading => reading?.Status == "Healthy");
    }

    private static List<TimeSpan> Latencies(List<Exchange> exchanges, Operation operation, int status) =>
        exchanges.Where(exchange => exchange.Operation == operation && exchange.Status == status).Select(exchange => exchange.Answered - exchange.Sent).ToList();

    private void CheckDevices()
    {
        var devices = ledger.Devices.ToList();
        var lostDuringLoad = devices.Count(device => device.LostDuringLoad);
        Line($"devices: {devices.Count} logged in, {devices.Count(device => device.LoggedOut)} logged out ({ledger.LogOutsDoneByAnEarlierAttempt} by an attempt whose answer was lost), "
            + $"{final.LiveChecked} still held; {ledger.UnansweredLogIns} log-ins got no answer (a device no client holds may exist)");
        Line($"honest retries: {ledger.DroppedAnswers} refresh answers dropped and retried with the old token, {ledger.RetriedRefreshes} refreshes retried after a 503 or a cut connection; "
            + $"{devices.Count(device => device.Retried)} devices retried at least once");
        Check("nothing lost", lostDuringLoad == 0 && final.Lost.Count == 0,
            $"{final.LiveChecked} devices not logged out refresh and their JWTs work on both nodes; {lostDuringLoad} stopped working during the load, {final.Lost.Count} at the end"
            + (final.Lost.Count == 0 ? "" : $": {string.Join("; ", final.Lost.Take(5))}"));
        Check("nothing resurrected", final.Resurrected.Count == 0,
            $"{final.LoggedOutChecked} logged-out devices: permanent token and JWT refused on both nodes; {final.Resurrected.Count} not"
            + (final.Resurrected.Count == 0 ? "" : $": {string.Join("; ", final.Resurrected.Take(5))}"));
        var reused = devices.Where(device => device.EndedByReuse).ToList();
        Check("no honest retry taken for reuse", reused.Count == 0 && ledger.SecondSuccessors == 0,
            $"{reused.Count} devices ended by reuse detection ({reused.Count(device => device.Retried)} of them had only retried within the interval); "
            + $"{ledger.SecondSuccessors} retries given another successor than the dropped answer's");
        Check("every request completed within the retry window", ledger.GaveUp == 0,
            $"{ledger.GaveUp} operations still got 503 or no answer {(settings.ReuseInterval - TimeSpan.FromSeconds(5)).TotalSeconds:0} s after their first attempt");
    }

    private void PrintProblems()
    {
        var problems = ledger.Problems.ToList();
        if (problems.Count > 0)
        {
            Line($"what went wrong during the load ({problems.Count}; the first 20):");
            foreach (var problem in problems.Take(20))
            {
                Line("  " + problem);
            }
        }
        foreach (var node in nodes)
        {
            var errors = File.Exists(node.LogFile) ? File.ReadLines(node.LogFile).Count(line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)) : 0;
            Line($"node {node.Name}: {errors} error lines in its log ({node.LogFile})");
        }
    }

    private void Check(string name, bool passed, string detail)
    {
        Line($"{(passed ? "PASS" : "FAIL")} {name}: {detail}");
        if (!passed)
        {
            _failed.Add(name);
        }
    }

    private void Line(string text) => Console.WriteLine($"[{Label}] {text}");

    private static bool Overlaps(Exchange exchange, FaultWindow window, TimeSpan grace) =>
        exchange.Answered >= window.Start && exchange.Sent <= window.End + grace;

    private static string Describe(Exchange exchange) =>
        string.Create(CultureInfo.InvariantCulture, $"{exchange.Operation} on node {exchange.Node} at {exchange.Sent.TotalSeconds:0.000} s: {exchange.Status} {exchange.Code}");

    private static string Describe(List<TimeSpan> samples) => samples.Count == 0
        ? "none"
        : $"p50 {Ms(Percentile(samples, 50))}, p99 {Ms(Percentile(samples, 99))}, max {Ms(samples.Max())} (n = {samples.Count})";

    private static string Ms(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0.0} ms");

    /// <summary>Nearest-rank percentile, as the two-node tests compute it.</summary>
    private static TimeSpan Percentile(List<TimeSpan> samples, int percent)
    {
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Max(rank, 1) - 1];
    }
}
