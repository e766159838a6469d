using Microsoft.IdentityModel.Tokens;

namespace JwtDevices.Dpop;

/// <summary>
/// The failure of a request refused for its use of DPoP: the challenge names the scheme <c>DPoP</c> and
/// <see cref="Error"/>. Its message is the fixed text of <see cref="DpopFailures"/>.
/// </summary>
public sealed class DpopProofException : SecurityTokenException
{
    internal DpopProofException(DpopFailure failure) : base(failure.Describe())
    {
        Failure = failure;
        Error = failure.Error();
    }

    /// <summary>The OAuth error code: <c>invalid_dpop_proof</c>, <c>use_dpop_nonce</c> or <c>invalid_token</c>.</summary>
    public string Error { get; }

    internal DpopFailure Failure { get; }
}
