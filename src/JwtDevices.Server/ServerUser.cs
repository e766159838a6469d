using Microsoft.AspNetCore.Identity;

namespace JwtDevices.Server;

/// <summary>A user of the server. Integer ids keep <c>user_id</c> a number, as Django's were.</summary>
public sealed class ServerUser : IdentityUser<long>;
