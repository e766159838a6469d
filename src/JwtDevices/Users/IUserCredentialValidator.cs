namespace JwtDevices.Users;

/// <summary>Checks credentials at log-in and tells whether a user may still get tokens at refresh.</summary>
public interface IUserCredentialValidator
{
    /// <summary>
    /// Returns the user when the name and password match an active user, else <see langword="null"/>.
    /// It must not reveal (in time or result) whether the account exists.
    /// </summary>
    ValueTask<JwtDevicesUser?> ValidateCredentialsAsync(string username, string password, CancellationToken cancellationToken);

    /// <summary>Returns the user when it exists and may sign in, else <see langword="null"/>.</summary>
    ValueTask<JwtDevicesUser?> FindActiveUserAsync(string userId, CancellationToken cancellationToken);
}
