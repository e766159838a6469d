using JwtDevices.Dpop;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Benchmarks;

/// <summary>
/// The server's DPoP step as the handler gets it, replaceable by a new one with an empty replay cache, so that a
/// benchmark can send its pre-signed proofs again once it has used them all.
/// </summary>
internal sealed class FreshDpopProofs
{
    public DpopProofs Current { get; private set; } = null!;

    public void Renew(IServiceProvider services) => Current = ActivatorUtilities.CreateInstance<DpopProofs>(services);
}

internal static class FreshDpopProofsExtensions
{
    /// <summary>
    /// Registers <paramref name="dpop"/>'s current step for the handler (before AddJwtDevices, whose own
    /// registration then stands aside) and gives proofs the longest lifetime, since they are signed in set-up.
    /// </summary>
    public static IServiceCollection AddConfiguredDpop(this IServiceCollection services, FreshDpopProofs dpop) => services
        .AddTransient(_ => dpop.Current)
        .Configure<JwtDevicesDpopOptions>(options => options.ProofLifetime = TimeSpan.FromHours(1));
}
