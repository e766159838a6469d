using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace JwtDevices.StackExchangeRedis;

/// <summary>Stops start-up on settings that cannot work, with a message that names the setting and no secret.</summary>
internal sealed class JwtDevicesRedisOptionsValidator : IValidateOptions<JwtDevicesRedisOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtDevicesRedisOptions options)
    {
        var failures = new List<string>();
        if (options.ConnectionMultiplexerFactory is null && options.ConfigurationOptions is null)
        {
            if (string.IsNullOrWhiteSpace(options.Configuration))
            {
                failures.Add("JwtDevices Redis needs a connection: set Configuration (for example \"localhost:6379\"), ConfigurationOptions or ConnectionMultiplexerFactory.");
            }
            else if (!NamesAnEndpoint(options.Configuration))
            {
                // The parser's message may quote the string, which can hold a password: say only what is wrong.
                failures.Add("JwtDevices Redis: Configuration is not a StackExchange.Redis configuration string naming a server, such as \"localhost:6379\" or \"host:6379,password=...\".");
            }
        }
        else if (options.ConnectionMultiplexerFactory is null && options.ConfigurationOptions!.EndPoints.Count == 0)
        {
            failures.Add("JwtDevices Redis: ConfigurationOptions names no server (EndPoints is empty).");
        }
        if (string.IsNullOrWhiteSpace(options.Channel))
        {
            failures.Add($"JwtDevices Redis: Channel must not be empty; the default is \"{JwtDevicesRedisOptions.DefaultChannel}\".");
        }
        if (string.IsNullOrWhiteSpace(options.DpopReplayKeyPrefix))
        {
            failures.Add($"JwtDevices Redis: DpopReplayKeyPrefix must not be empty; the default is \"{JwtDevicesRedisOptions.DefaultDpopReplayKeyPrefix}\".");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool NamesAnEndpoint(string configuration)
    {
        try
        {
            return ConfigurationOptions.Parse(configuration).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
