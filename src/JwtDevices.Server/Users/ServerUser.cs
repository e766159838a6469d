using Microsoft.AspNetCore.Identity;

namespace JwtDevices.Server.Users;

/// <summary>A user of the server. Integer ids keep <c>user_id</c> a number, as Django's were.</summary>
public sealed class ServerUser : IdentityUser<long>
{
    /// <summary>When the user joined, where known: users imported from Django keep their <c>date_joined</c>.</summary>
    public DateTimeOffset? DateJoined { get; set; }

    /// <summary>The last log-in Django recorded, for users imported from Django.</summary>
    public DateTimeOffset? LastLogin { get; set; }
}
