using Microsoft.Extensions.Options;

namespace JwtDevices.EntityFrameworkCore;

/// <summary>Stops start-up on settings that cannot work, with a message that names the setting.</summary>
internal sealed class JwtDevicesEntityFrameworkCoreOptionsValidator : IValidateOptions<JwtDevicesEntityFrameworkCoreOptions>
{
    /// <summary>PostgreSQL's longest identifier, in bytes (NAMEDATALEN - 1).</summary>
    internal const int MaxChannelLength = 63;

    internal static readonly TimeSpan MaxChangeCheckInterval = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, JwtDevicesEntityFrameworkCoreOptions options)
    {
        var failures = new List<string>();
        // LISTEN takes an identifier: plain ASCII needs no quoting rules to agree with pg_notify's text argument.
        if (options.PostgresNotificationChannel is not { Length: > 0 and <= MaxChannelLength } channel
            || !channel.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            failures.Add($"JwtDevices EF Core: PostgresNotificationChannel must be 1 to {MaxChannelLength} ASCII letters, digits or underscores; the default is \"{JwtDevicesEntityFrameworkCoreOptions.DefaultPostgresNotificationChannel}\".");
        }
        if (options.SqliteChangeCheckInterval < TimeSpan.Zero || options.SqliteChangeCheckInterval > MaxChangeCheckInterval)
        {
            failures.Add($"JwtDevices EF Core: SqliteChangeCheckInterval must be between 00:00:00 (off) and {MaxChangeCheckInterval:c}, not {options.SqliteChangeCheckInterval:c}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
