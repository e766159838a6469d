namespace JwtDevices.FaultDrill;

/// <summary>
/// One honest client: it logs in, then at random calls <c>GET /me</c>, refreshes (rotation on) or logs out and
/// logs in again, each time on either node. A 503 or a cut connection makes it try again, on either node, with
/// the same token, and only within the reuse interval; some refresh answers it drops on purpose, as when a
/// connection breaks after the server answered, and retries with its old token. After each log-out it measures
/// how long the other node still takes the device's JWT.
/// </summary>
internal sealed class SimulatedClient(DrillHttp http, Ledger ledger, DrillSettings settings)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ProbePause = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan MaxProbePause = TimeSpan.FromMilliseconds(100);

    // A retry later than this after the first attempt could fall outside the reuse interval: an honest client
    // stops there (and the drill reports it) rather than present a token the server may rightly take for stolen.
    private TimeSpan RetryWindow => settings.ReuseInterval - TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken stopping)
    {
        var meanPause = TimeSpan.FromSeconds(settings.Clients / settings.RequestsPerSecond);
        while (!stopping.IsCancellationRequested)
        {
            var device = await LogInAsync();
            while (device is not null && !stopping.IsCancellationRequested)
            {
                // Exponential pauses: the clients' requests arrive as a Poisson stream of RATE a second in all.
                await Task.Delay(meanPause * -Math.Log(1 - Random.Shared.NextDouble()), CancellationToken.None);
                var roll = Random.Shared.NextDouble();
                if (roll < 0.05)
                {
                    await LogOutAsync(device);
                    break;
                }
                var keep = roll < 0.30 ? await RefreshAsync(device) : await MeAsync(device);
                if (!keep)
                {
                    break;
                }
            }
        }
    }

    private async Task<DeviceRecord?> LogInAsync()
    {
        var (answer, _) = await UntilAnsweredAsync(async node =>
        {
            var attempt = await http.LogInAsync(node, settings.UserName, settings.Password);
            if (attempt.Status == 0)
            {
                Interlocked.Increment(ref ledger.UnansweredLogIns);
            }
            return attempt;
        });
        if (answer.Status == 200)
        {
            var device = new DeviceRecord(answer.Body.GetProperty("device_id").GetInt64(), answer.Text("token"), answer.Text("permanent_token"));
            ledger.Devices.Enqueue(device);
            return device;
        }
        if (answer.Status is 0 or 503)
        {
            Interlocked.Increment(ref ledger.GaveUp);
        }
        Problem($"a log-in got {Describe(answer)}");
        await Task.Delay(RetryPause);
        return null;
    }

    private async Task<bool> MeAsync(DeviceRecord device)
    {
        var answer = await http.MeAsync(http.AnyNode(), device.Jwt);
        if (answer.Status == 401)
        {
            device.LostDuringLoad = true;
            Problem($"device {device.Id}: its JWT got 401 on node {answer.Node.Name} though it was never logged out");
            return false;
        }
        return true; // 200; anything else (503, no answer) is judged from the ledger.
    }

    private async Task<bool> RefreshAsync(DeviceRecord device)
    {
        var presented = device.PermanentToken;
        var (answer, retried) = await UntilAnsweredAsync(node => http.RefreshAsync(node, presented));
        if (retried)
        {
            device.Retried = true;
            Interlocked.Increment(ref ledger.RetriedRefreshes);
        }
        if (answer.Status == 200 && Random.Shared.NextDouble() < settings.DropRate)
        {
            // The answer is lost on the way: the client never saw the new tokens and asks again with the old one.
            var dropped = answer.Text("permanent_token");
            device.Retried = true;
            Interlocked.Increment(ref ledger.DroppedAnswers);
            await Task.Delay(TimeSpan.FromSeconds(2 * Random.Shared.NextDouble()));
            (answer, _) = await UntilAnsweredAsync(node => http.RefreshAsync(node, presented));
            if (answer.Status == 200 && answer.Text("permanent_token") != dropped)
            {
                Interlocked.Increment(ref ledger.SecondSuccessors);
                Problem($"device {device.Id}: a retried refresh got another successor than the dropped answer had (a second live chain)");
            }
        }
        if (answer.Status == 200)
        {
            device.Jwt = answer.Text("token");
            device.PermanentToken = answer.Text("permanent_token");
            return true;
        }
        if (answer.Code == "permanent_token_reused")
        {
            device.EndedByReuse = true;
        }
        else if (answer.Status is 0 or 503)
        {
            Interlocked.Increment(ref ledger.GaveUp);
        }
        else
        {
            device.LostDuringLoad = true;
        }
        Problem($"device {device.Id}{(device.Retried ? ", which had retried honestly," : "")}: a refresh got {Describe(answer)}");
        return false;
    }

    private async Task LogOutAsync(DeviceRecord device)
    {
        var (answer, retried) = await UntilAnsweredAsync(node => http.LogOutAsync(node, device));
        if (answer.Status == 204)
        {
            device.LoggedOut = true;
            await MeasureRevocationAsync(device, http.Other(answer.Node));
        }
        else if (answer.Status == 401 && retried)
        {
            device.LoggedOut = true;
            Interlocked.Increment(ref ledger.LogOutsDoneByAnEarlierAttempt);
        }
        else
        {
            device.LostDuringLoad |= answer.Status == 401;
            if (answer.Status is 0 or 503)
            {
                Interlocked.Increment(ref ledger.GaveUp);
            }
            Problem($"device {device.Id}: a log-out got {Describe(answer)}");
        }
    }

    /// <summary>
    /// Probes the other node with the logged-out device's JWT until it answers 401. When that node is down (killed by
    /// the drill), there is nothing to time: the final checks see that it refuses the device once it is back.
    /// </summary>
    private async Task MeasureRevocationAsync(DeviceRecord device, ServerNode other)
    {
        var loggedOut = ledger.Now;
        var giveUp = settings.PollInterval + settings.PollMargin + TimeSpan.FromSeconds(30);
        for (var first = true; ledger.Now - loggedOut < giveUp; first = false)
        {
            var probe = await http.MeAsync(other, device.Jwt, Operation.RevocationProbe);
            if (probe.Status is 401 or 0)
            {
                ledger.Revocations.Enqueue(new RevocationSample(loggedOut, other.Name, probe.Status == 401 ? ledger.Now - loggedOut : null, probe.Status == 0, first));
                return;
            }
            // Probes every 2 ms at first, then every twentieth of the time so far (at most 100 ms): a few per cent
            // of resolution, without a flood of probes from clients that wait for the poll.
            var pause = TimeSpan.FromTicks(Math.Clamp((ledger.Now - loggedOut).Ticks / 20, ProbePause.Ticks, MaxProbePause.Ticks));
            await Task.Delay(pause);
        }
        ledger.Revocations.Enqueue(new RevocationSample(loggedOut, other.Name, null, false, false));
    }

    /// <summary>Sends until an answer other than 503 comes, on either node, for at most <see cref="RetryWindow"/>; says whether it had to retry.</summary>
    private async Task<(Answer Answer, bool Retried)> UntilAnsweredAsync(Func<ServerNode, Task<Answer>> send)
    {
        var first = ledger.Now;
        var retried = false;
        while (true)
        {
            var answer = await send(http.AnyNode());
            if (answer.Status is not (0 or 503) || ledger.Now - first + RetryPause > RetryWindow)
            {
                return (answer, retried);
            }
            retried = true;
            await Task.Delay(RetryPause);
        }
    }

    private void Problem(string line) => ledger.Problems.Enqueue($"{ledger.Now.TotalSeconds,7:0.000} s  {line}");

    private static string Describe(Answer answer) =>
        answer.Status == 0 ? $"no answer from node {answer.Node.Name}" : $"{answer.Status}{(answer.Code is null ? "" : " " + answer.Code)} from node {answer.Node.Name}";
}
