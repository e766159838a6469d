namespace JwtDevices.Tests.Attacks.Fuzz;

/// <summary>A device the fuzzer logged in: its latest tokens, which may since have died.</summary>
internal sealed class FuzzLogin(string token, string permanentToken, long deviceId)
{
    public string Token { get; set; } = token;

    public string PermanentToken { get; set; } = permanentToken;

    public long DeviceId { get; } = deviceId;
}
