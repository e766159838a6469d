namespace JwtDevices.FaultDrill;

/// <summary>What the end of the drill found, device by device.</summary>
internal sealed record FinalResult(int LiveChecked, List<string> Lost, int LoggedOutChecked, List<string> Resurrected);

/// <summary>
/// Once the load has stopped and every fault is over: each device its client still holds must refresh and its JWTs
/// (the one it held, the one the refresh gave) must work on both nodes; each device its client logged out must have
/// its permanent token refused and its JWT refused, on both nodes.
/// </summary>
internal static class FinalChecks
{
    public static async Task<FinalResult> RunAsync(DrillHttp http, Ledger ledger)
    {
        var lost = new List<string>();
        var resurrected = new List<string>();
        var live = ledger.Devices.Where(device => !device.LoggedOut && !device.EndedByReuse && !device.LostDuringLoad).ToList();
        var loggedOut = ledger.Devices.Where(device => device.LoggedOut).ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8 };
        await Parallel.ForEachAsync(live, options, async (device, _) =>
        {
            var wrong = await CheckLiveAsync(http, device);
            if (wrong is not null)
            {
                lock (lost)
                {
                    lost.Add($"device {device.Id}: {wrong}");
                }
            }
        });
        await Parallel.ForEachAsync(loggedOut, options, async (device, _) =>
        {
            var wrong = await CheckLoggedOutAsync(http, device);
            if (wrong is not null)
            {
                lock (resurrected)
                {
                    resurrected.Add($"device {device.Id}: {wrong}");
                }
            }
        });
        return new FinalResult(live.Count, lost, loggedOut.Count, resurrected);
    }

    private static async Task<string?> CheckLiveAsync(DrillHttp http, DeviceRecord device)
    {
        foreach (var node in http.Nodes)
        {
            var me = await http.MeAsync(node, device.Jwt, Operation.FinalCheck);
            if (me.Status != 200)
            {
                return $"its JWT got {me.Status} on node {node.Name}";
            }
        }
        var refresh = await http.RefreshAsync(http.AnyNode(), device.PermanentToken, Operation.FinalCheck);
        if (refresh.Status != 200)
        {
            return $"its refresh got {refresh.Status} {refresh.Code} on node {refresh.Node.Name}";
        }
        device.Jwt = refresh.Text("token");
        device.PermanentToken = refresh.Text("permanent_token");
        foreach (var node in http.Nodes)
        {
            var me = await http.MeAsync(node, device.Jwt, Operation.FinalCheck);
            if (me.Status != 200)
            {
                return $"the JWT of its last refresh got {me.Status} on node {node.Name}";
            }
        }
        return null;
    }

    private static async Task<string?> CheckLoggedOutAsync(DrillHttp http, DeviceRecord device)
    {
        foreach (var node in http.Nodes)
        {
            var me = await http.MeAsync(node, device.Jwt, Operation.FinalCheck);
            if (me.Status != 401)
            {
                return $"logged out, its JWT got {me.Status} on node {node.Name}";
            }
            var refresh = await http.RefreshAsync(node, device.PermanentToken, Operation.FinalCheck);
            if (refresh.Status != 400)
            {
                return $"logged out, its permanent token got {refresh.Status} on node {node.Name}";
            }
        }
        return null;
    }
}
