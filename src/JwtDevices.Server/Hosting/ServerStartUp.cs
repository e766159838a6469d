using System.ComponentModel;
using System.Globalization;
using JwtDevices.EntityFrameworkCore;
using JwtDevices.Server.Data;
using JwtDevices.Server.Pages.Dbsc;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Hosting;

/// <summary>
/// Checks every setting before the server serves or a command runs, so that a bad one reads as one line
/// naming it (and its value, unless the value is a secret) instead of an exception at first use; and
/// logs the effective lifetimes in words, where a <c>30</c> meant as seconds shows as 30 days.
/// </summary>
internal static partial class ServerStartUp
{
    /// <summary>One line per bad setting; none when the server can start.</summary>
    public static IReadOnlyList<string> Check(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        List<string> unreadable = [.. UnknownSettings.Find(configuration), .. UnreadableSettings(configuration)];
        if (unreadable.Count > 0)
        {
            return unreadable;
        }
        try
        {
            // What ValidateOnStart would run when the host starts, run now, where the failures can be caught.
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (Exception exception) when (ServerFailure.Problems(exception) is { Count: > 0 } problems)
        {
            return problems;
        }
    }

    /// <summary>Logs the lifetimes in force, in words.</summary>
    public static void LogLifetimes(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<JwtDevicesOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServerStartUp).FullName!);
        LogLifetimes(logger, Describe(options));
    }

    /// <summary>"access tokens: 5 minutes; permanent tokens: 7 days sliding, last-seen written every 30 minutes".</summary>
    internal static string Describe(JwtDevicesOptions options)
    {
        var access = $"access tokens: {Words(options.AccessTokenLifetime)}";
        if (!options.EnablePermanentTokens)
        {
            return $"{access}; permanent tokens: off (plain JWT mode)";
        }
        var lastSeen = options.PermanentTokenExpirationAccuracy > TimeSpan.Zero
            ? $"every {Words(options.PermanentTokenExpirationAccuracy)}"
            : "on every refresh";
        return $"{access}; permanent tokens: {Words(options.PermanentTokenLifetime)} sliding, last-seen written {lastSeen}";
    }

    /// <summary>A time in words: "5 minutes", "1 day 12 hours", "30 seconds".</summary>
    internal static string Words(TimeSpan time)
    {
        var parts = new (int Count, string Unit)[]
            {
                (time.Days, "day"), (time.Hours, "hour"), (time.Minutes, "minute"), (time.Seconds, "second"), (time.Milliseconds, "millisecond"),
            }
            .Where(part => part.Count != 0)
            .Select(part => string.Create(CultureInfo.InvariantCulture, $"{part.Count} {part.Unit}{(Math.Abs(part.Count) == 1 ? "" : "s")}"))
            .ToList();
        return parts.Count == 0 ? "0 seconds" : string.Join(' ', parts);
    }

    // A value the binder cannot convert would throw at first use, naming neither the fix nor the form.
    // Only non-text settings are checked here, and their values are never secrets, so they are shown.
    private static List<string> UnreadableSettings(IConfiguration configuration) =>
    [
        // Both sections the scheme's settings are bound from.
        .. UnreadableSettings(configuration.GetSection(JwtDevicesDefaults.ConfigurationSection), typeof(JwtDevicesOptions)),
        .. UnreadableSettings(configuration.GetSection($"Authentication:Schemes:{JwtDevicesDefaults.AuthenticationScheme}"), typeof(JwtDevicesOptions)),
        .. UnreadableSettings(configuration.GetSection(ServerDatabase.Section), typeof(JwtDevicesEntityFrameworkCoreOptions)),
        .. UnreadableSettings(configuration.GetSection(PageDbscOptions.ConfigurationSection), typeof(PageDbscOptions)),
    ];

    private static List<string> UnreadableSettings(IConfigurationSection section, Type options)
    {
        var problems = new List<string>();
        foreach (var property in options.GetProperties())
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type == typeof(string) || !type.IsValueType || section[property.Name] is not { } value)
            {
                continue;
            }
            if (!CanConvert(type, value))
            {
                problems.Add($"{section.Path}:{property.Name} is '{value}', which is not {Expected(type)}.");
            }
        }
        return problems;
    }

    private static bool CanConvert(Type type, string value)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or OverflowException
            || exception.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Expected(Type type) =>
        type == typeof(TimeSpan) ? "a time: write [days.]hours:minutes:seconds, for example 00:05:00 for 5 minutes or 7.00:00:00 for 7 days"
        : type == typeof(bool) ? "true or false"
        : $"a valid {type.Name}";

    [LoggerMessage(110, LogLevel.Information, "Lifetimes in force: {Lifetimes}.")]
    private static partial void LogLifetimes(ILogger logger, string lifetimes);
}
