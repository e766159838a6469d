using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Pages.Dbsc;

/// <summary>Stops start-up with a message naming the setting when a <c>Pages:Dbsc</c> setting makes no sense.</summary>
internal sealed class PageDbscOptionsValidator : IValidateOptions<PageDbscOptions>
{
    /// <summary>Renewals take a signature each; a cookie much shorter would have the browser sign all the time.</summary>
    internal static readonly TimeSpan MinimumCookieLifetime = TimeSpan.FromSeconds(1);

    public ValidateOptionsResult Validate(string? name, PageDbscOptions options)
    {
        var failures = new List<string>();
        // No upper bound: the cookie never outlives JwtDevices:PermanentTokenLifetime (DbscSessionCookie), and a short
        // PermanentTokenLifetime must not stop a server whose DBSC settings are the defaults.
        if (options.CookieLifetime < MinimumCookieLifetime)
        {
            failures.Add($"{PageDbscOptions.ConfigurationSection}:{nameof(options.CookieLifetime)} must be at least 1 second; it is {options.CookieLifetime}.");
        }
        if (options.Require && !options.Enabled)
        {
            failures.Add($"{PageDbscOptions.ConfigurationSection}:{nameof(options.Require)} needs {PageDbscOptions.ConfigurationSection}:{nameof(options.Enabled)}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
