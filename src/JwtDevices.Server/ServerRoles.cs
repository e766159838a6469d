namespace JwtDevices.Server;

/// <summary>The server's Identity roles.</summary>
internal static class ServerRoles
{
    /// <summary>Administrators: <c>users add --admin</c> grants it.</summary>
    public const string Admin = "admin";
}
