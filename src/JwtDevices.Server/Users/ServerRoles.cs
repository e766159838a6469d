namespace JwtDevices.Server.Users;

/// <summary>The server's Identity roles.</summary>
internal static class ServerRoles
{
    /// <summary>Administrators: they may see and revoke every user's devices at <c>/admin/devices</c>;
    /// Django's staff and superusers are imported into this role.</summary>
    public const string Admin = "admin";
}
