namespace JwtDevices.Server;

/// <summary>The server's Identity roles.</summary>
internal static class ServerRoles
{
    /// <summary>Administrators: Django's staff and superusers are imported into this role.</summary>
    public const string Admin = "admin";
}
