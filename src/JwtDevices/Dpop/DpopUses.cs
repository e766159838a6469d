namespace JwtDevices.Dpop;

/// <summary>Where a proof was presented: the <c>jwtdevices.dpop.use</c> tag and <see cref="DpopProofRefusedContext.Use"/>.</summary>
internal static class DpopUses
{
    public const string Login = "login";
    public const string Refresh = "refresh";
    public const string Request = "request";
}
