using Microsoft.Extensions.Options;

namespace JwtDevices.Dpop;

/// <summary>Stops start-up with a message that names the setting when a DPoP setting makes no sense.</summary>
internal sealed class JwtDevicesDpopOptionsValidator : IValidateOptions<JwtDevicesDpopOptions>
{
    /// <summary>A proof older than this is no proof of anything recent; the replay cache would also grow with it.</summary>
    internal static readonly TimeSpan MaximumProofLifetime = TimeSpan.FromHours(1);

    public ValidateOptionsResult Validate(string? name, JwtDevicesDpopOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Mode))
        {
            failures.Add($"{Setting(nameof(options.Mode))} must be {nameof(DpopMode.Disabled)}, {nameof(DpopMode.Optional)} or {nameof(DpopMode.Required)}.");
        }
        foreach (var algorithm in options.Algorithms)
        {
            if (!JwtDevicesDpopOptions.SupportedAlgorithms.Contains(algorithm))
            {
                failures.Add($"{Setting(nameof(options.Algorithms))} lists \"{algorithm}\"; only asymmetric algorithms can sign a proof: "
                    + $"{string.Join(", ", JwtDevicesDpopOptions.DefaultAlgorithms)}.");
            }
        }
        if (options.ProofLifetime <= TimeSpan.Zero || options.ProofLifetime > MaximumProofLifetime)
        {
            failures.Add($"{Setting(nameof(options.ProofLifetime))} must be greater than zero and at most {MaximumProofLifetime.TotalMinutes} minutes (it is {options.ProofLifetime}).");
        }
        if (options.ProofClockSkew < TimeSpan.Zero || options.ProofClockSkew > MaximumProofLifetime)
        {
            failures.Add($"{Setting(nameof(options.ProofClockSkew))} must not be negative nor above {MaximumProofLifetime.TotalMinutes} minutes (it is {options.ProofClockSkew}).");
        }
        if (options.NonceLifetime < TimeSpan.FromSeconds(1) || options.NonceLifetime > TimeSpan.FromDays(1))
        {
            failures.Add($"{Setting(nameof(options.NonceLifetime))} must be between 1 second and 1 day (it is {options.NonceLifetime}).");
        }
        if (options.ReplayCacheSize < 1_000)
        {
            failures.Add($"{Setting(nameof(options.ReplayCacheSize))} must be at least 1000 (it is {options.ReplayCacheSize}).");
        }
        if (options.PublicOrigin is { } origin && DpopTargetUri.ParseOrigin(origin) is null)
        {
            failures.Add($"{Setting(nameof(options.PublicOrigin))} must be an absolute http or https origin such as https://api.example.com, with no path, query or fragment.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Setting(string name) => $"{JwtDevicesDpopOptions.ConfigurationSection}:{name}";
}
