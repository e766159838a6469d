using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using JwtDevices.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Tests.Attacks;

/// <summary>
/// An attacker with two devices of their own, and a victim with one: the genuine tokens and, for the
/// forgeries that assume a leaked key, the device keys that only the server can derive.
/// </summary>
internal sealed class AttackScene
{
    private AttackScene(ApiClient.Login attacker, ApiClient.Login attackerOther, ApiClient.Login victim)
    {
        Attacker = attacker;
        AttackerOther = attackerOther;
        Victim = victim;
    }

    /// <summary>The attacker's device whose token most forgeries start from.</summary>
    public ApiClient.Login Attacker { get; }

    /// <summary>A second device of the attacker's.</summary>
    public ApiClient.Login AttackerOther { get; }

    /// <summary>Another user's device, the target.</summary>
    public ApiClient.Login Victim { get; }

    public byte[] AttackerKey { get; private set; } = [];

    public byte[] AttackerOtherKey { get; private set; } = [];

    public byte[] VictimKey { get; private set; } = [];

    /// <summary>The test server's master key, as if it had leaked in its raw form.</summary>
    public static byte[] MasterKey => Convert.FromBase64String(ServerFactory.SigningKey);

    /// <summary>The attacker's token's payload, a fresh copy to change.</summary>
    public JsonObject AttackerPayload => HandMadeJwt.Payload(Attacker.Token);

    /// <summary>The victim's token's payload, a fresh copy.</summary>
    public JsonObject VictimPayload => HandMadeJwt.Payload(Victim.Token);

    public string AttackerKeyId => KeyIdOf(Attacker.Token);

    public string AttackerOtherKeyId => KeyIdOf(AttackerOther.Token);

    public string VictimKeyId => KeyIdOf(Victim.Token);

    public string VictimDeviceId => Victim.DeviceId!.Value.ToString(CultureInfo.InvariantCulture);

    private static readonly ConditionalWeakTable<ServerFactory, Task<AttackScene>> s_scenes = [];

    /// <summary>
    /// The scene of this server, arranged once: the attacks change nothing (each asserts so), and logging
    /// in three devices per case would cost more than all the attacks.
    /// </summary>
    public static Task<AttackScene> OfAsync(ServerFactory server) => s_scenes.GetValue(server, s => ArrangeAsync(s));

    /// <summary>Logs in the attacker twice and the victim once, adding the users on first use.</summary>
    public static async Task<AttackScene> ArrangeAsync(ServerFactory server, string name = "attacker")
    {
        await server.EnsureUserAsync(name);
        await server.EnsureUserAsync($"{name}_victim");
        var client = server.CreateClient();
        var scene = new AttackScene(
            await client.LoginAsync(name), await client.LoginAsync(name, deviceModel: "Pixel"), await client.LoginAsync($"{name}_victim"));
        scene.AttackerKey = await DeviceKeyAsync(server, scene.Attacker.DeviceId!.Value);
        scene.AttackerOtherKey = await DeviceKeyAsync(server, scene.AttackerOther.DeviceId!.Value);
        scene.VictimKey = await DeviceKeyAsync(server, scene.Victim.DeviceId!.Value);
        return scene;
    }

    /// <summary>A device's derived signing key, as only the server can compute it.</summary>
    public static async Task<byte[]> DeviceKeyAsync(ServerFactory server, long deviceId)
    {
        var device = await server.WithDatabaseAsync(db => db.Set<Devices.Device>().AsNoTracking().SingleAsync(d => d.Id == deviceId));
        var credentials = server.Services.GetRequiredService<AccessTokenService>().CreateCredentials(device);
        return ((SymmetricSecurityKey)credentials.SigningCredentials.Key).Key;
    }

    /// <summary>The <c>kid</c> a genuine token carries: its device's salt.</summary>
    public static string KeyIdOf(string token) => HandMadeJwt.Header(token)["kid"]!.GetValue<string>();
}
