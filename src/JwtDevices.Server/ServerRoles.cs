namespace JwtDevices.Server;

/// <summary>The server's Identity roles.</summary>
internal static class ServerRoles
{
    /// <summary>Administrators: they may see and revoke every user's devices at <c>/admin/devices</c>.</summary>
    public const string Admin = "admin";
}
