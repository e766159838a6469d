using Microsoft.Extensions.Options;

namespace JwtDevices;

/// <summary>Stops start-up with a message that names the setting when a setting makes no sense.</summary>
internal sealed class JwtDevicesOptionsValidator : IValidateOptions<JwtDevicesOptions>
{
    /// <summary>HS256 wants a key at least as long as its output.</summary>
    internal const int MinimumKeyBytes = 32;

    /// <summary>The longest poll or cleanup interval: a month is already more than any deployment wants.</summary>
    internal static readonly TimeSpan MaximumInterval = TimeSpan.FromDays(30);

    public ValidateOptionsResult Validate(string? name, JwtDevicesOptions options)
    {
        var failures = new List<string>();
        RequirePositive(failures, nameof(options.PermanentTokenLifetime), options.PermanentTokenLifetime);
        RequirePositive(failures, nameof(options.AccessTokenLifetime), options.AccessTokenLifetime);
        RequireInterval(failures, nameof(options.RevocationPollInterval), options.RevocationPollInterval);
        RequireInterval(failures, nameof(options.CleanupInterval), options.CleanupInterval);
        RequireNotNegative(failures, nameof(options.PermanentTokenExpirationAccuracy), options.PermanentTokenExpirationAccuracy);
        RequireNotNegative(failures, nameof(options.ClockSkew), options.ClockSkew);

        if (options.SigningKeys.Count > 0)
        {
            if (!string.IsNullOrWhiteSpace(options.SigningKey))
            {
                failures.Add($"Set either {Setting(nameof(options.SigningKey))} or {Setting(nameof(options.SigningKeys))}, not both: the list takes the current key first.");
            }
            for (var index = 0; index < options.SigningKeys.Count; index++)
            {
                RequireKey(failures, $"{Setting(nameof(options.SigningKeys))}:{index}", options.SigningKeys[index]);
            }
        }
        else
        {
            RequireKey(failures, Setting(nameof(options.SigningKey)), options.SigningKey);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Decodes the master keys, newest first, or returns none when any of them is unusable.</summary>
    internal static byte[][] DecodeMasterKeys(JwtDevicesOptions options)
    {
        var keys = new List<byte[]>();
        foreach (var value in options.MasterKeys)
        {
            if (!TryDecodeKey(value, out var key) || key.Length < MinimumKeyBytes)
            {
                return [];
            }
            keys.Add(key);
        }
        return [.. keys];
    }

    // Names the setting, never its value: a key does not belong in a log.
    private static void RequireKey(List<string> failures, string setting, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{setting} is required: a base64 key of at least 256 bits ({MinimumKeyBytes} bytes).");
        }
        else if (!TryDecodeKey(value, out var key))
        {
            failures.Add($"{setting} is not valid base64.");
        }
        else if (key.Length < MinimumKeyBytes)
        {
            failures.Add($"{setting} has {key.Length * 8} bits; at least {MinimumKeyBytes * 8} are required.");
        }
    }

    internal static bool TryDecodeKey(string value, out byte[] key)
    {
        key = new byte[value.Length];
        if (Convert.TryFromBase64String(value.Trim(), key, out var written))
        {
            key = key[..written];
            return true;
        }
        key = [];
        return false;
    }

    private static string Setting(string name) => $"{JwtDevicesDefaults.ConfigurationSection}:{name}";

    private static void RequirePositive(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{Setting(name)} must be greater than zero (it is {value}).");
        }
    }

    // Background services wait with Task.Delay, which takes at most about 49 days.
    private static void RequireInterval(List<string> failures, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value > MaximumInterval)
        {
            failures.Add($"{Setting(name)} must be greater than zero and at most {MaximumInterval.TotalDays} days (it is {value}).");
        }
    }

    private static void RequireNotNegative(List<string> failures, string name, TimeSpan value)
    {
        if (value < TimeSpan.Zero)
        {
            failures.Add($"{Setting(name)} must not be negative (it is {value}).");
        }
    }
}
