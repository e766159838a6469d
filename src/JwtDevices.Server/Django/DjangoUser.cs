namespace JwtDevices.Server.Django;

/// <summary>A row of Django's <c>auth_user</c>, as far as the server carries it over.</summary>
internal sealed record DjangoUser(
    long Id,
    string UserName,
    string Email,
    string Password,
    bool IsActive,
    bool IsStaff,
    bool IsSuperuser,
    DateTimeOffset DateJoined,
    DateTimeOffset? LastLogin);
