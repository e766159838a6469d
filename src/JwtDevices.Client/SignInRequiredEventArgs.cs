namespace JwtDevices.Client;

/// <summary>The data of <see cref="JwtDevicesClient.SignInRequired"/>: the server ended the device; the store is cleared.</summary>
public sealed class SignInRequiredEventArgs : EventArgs
{
    internal SignInRequiredEventArgs(string code) => Code = code;

    /// <summary>The server's <c>code</c>, such as <c>invalid_permanent_token</c> (the device is gone), <c>permanent_token_reused</c>, <c>credentials_changed</c> or <c>expired_permanent_token</c>.</summary>
    public string Code { get; }
}
