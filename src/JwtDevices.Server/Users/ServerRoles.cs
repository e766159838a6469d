namespace JwtDevices.Server.Users;

/// <summary>The server's Identity roles.</summary>
internal static class ServerRoles
{
    /// <summary>Administrators: they may see and revoke every user's devices at <c>/admin/devices</c>;
    /// Django's superusers are imported into this role (and its staff with <c>import-django --staff-as-admin</c>).</summary>
    public const string Admin = "admin";
}
