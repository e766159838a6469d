using JwtDevices.Users;

namespace JwtDevices.Benchmarks;

/// <summary>Start-up requires a credential validator; authenticating a request never asks it.</summary>
internal sealed class NoUsers : IUserCredentialValidator
{
    public ValueTask<JwtDevicesUser?> ValidateCredentialsAsync(string username, string password, CancellationToken cancellationToken) =>
        ValueTask.FromResult<JwtDevicesUser?>(null);

    public ValueTask<JwtDevicesUser?> FindActiveUserAsync(string userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<JwtDevicesUser?>(null);
}
