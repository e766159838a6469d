using Microsoft.Extensions.Options;

namespace JwtDevices.RateLimits;

/// <summary>Stops start-up with a message that names the setting when a limit makes no sense.</summary>
internal sealed class JwtDevicesRateLimitOptionsValidator : IValidateOptions<JwtDevicesRateLimitOptions>
{
    /// <summary>A limit larger than this is no limit; it would also size no window sensibly.</summary>
    internal const int MaximumLimit = 1_000_000;

    /// <summary>The longest failed-log-in window: a day already keeps a guesser out for long.</summary>
    internal static readonly TimeSpan MaximumWindow = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, JwtDevicesRateLimitOptions options)
    {
        var failures = new List<string>();
        RequireLimit(failures, nameof(options.FailedLoginsPerUserName), options.FailedLoginsPerUserName);
        RequireLimit(failures, nameof(options.FailedLoginsPerUserNameFromAllClients), options.FailedLoginsPerUserNameFromAllClients);
        RequireLimit(failures, nameof(options.LoginsPerClientPerMinute), options.LoginsPerClientPerMinute);
        RequireLimit(failures, nameof(options.RefreshesPerClientPerMinute), options.RefreshesPerClientPerMinute);
        if (options.FailedLoginWindow <= TimeSpan.Zero || options.FailedLoginWindow > MaximumWindow)
        {
            failures.Add($"{Setting(nameof(options.FailedLoginWindow))} must be greater than zero and at most {MaximumWindow.TotalHours} hours (it is {options.FailedLoginWindow}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Setting(string name) => $"{JwtDevicesRateLimitOptions.ConfigurationSection}:{name}";

    private static void RequireLimit(List<string> failures, string name, int value)
    {
        if (value is < 1 or > MaximumLimit)
        {
            failures.Add($"{Setting(name)} must be between 1 and {MaximumLimit} (it is {value}); set {Setting(nameof(JwtDevicesRateLimitOptions.Enabled))}=false to turn the limits off.");
        }
    }
}
