using JwtDevices.Dpop;
using JwtDevices.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace JwtDevices.Endpoints;

/// <summary>The DPoP step of log-in and refresh: the proof's key, or the 400 that refuses it (RFC 9449 §5).</summary>
internal static class DpopTokenEndpoints
{
    /// <summary>The token type of a bound device's answers.</summary>
    public const string TokenType = "DPoP";

    /// <summary>
    /// The thumbprint of the request's proof key, checked and remembered; none without a <c>DPoP</c> header;
    /// or the answer refusing a bad proof.
    /// </summary>
    public static async ValueTask<(string? Thumbprint, ValidationProblem? Refused)> CheckAsync(
        HttpContext context, DpopProofs dpop, DeviceEventRaiser events, string use)
    {
        var (proof, failure) = DpopProofs.Read(context.Request);
        if (proof is null)
        {
            return failure == DpopFailure.None ? (null, null) : (null, await RefuseAsync(context, dpop, events, use, failure, null));
        }
        var check = await dpop.CheckAsync(context, proof, null);
        if (check.Failure != DpopFailure.None)
        {
            return (null, await RefuseAsync(context, dpop, events, use, check.Failure, null));
        }
        dpop.AddNonce(context.Response);
        return (check.Thumbprint, null);
    }

    /// <summary>Logs, counts and raises the refusal; answers 400 with the OAuth <c>error</c>, and a fresh nonce when one is wanted.</summary>
    public static async ValueTask<ValidationProblem> RefuseAsync(
        HttpContext context, DpopProofs dpop, DeviceEventRaiser events, string use, DpopFailure failure, long? deviceId)
    {
        dpop.LogRefused(context, failure, use);
        await events.DpopProofRefusedAsync(use, failure, deviceId);
        if (failure == DpopFailure.Nonce)
        {
            dpop.AddNonce(context.Response);
        }
        return JwtDevicesProblems.DpopProofRefused(failure.Error(), failure.Describe());
    }
}
