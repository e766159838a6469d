using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices;

/// <summary>
/// Binds a scheme's <c>Authentication:Schemes:&lt;scheme&gt;</c> configuration section, as JwtBearer does since
/// .NET 7. It is bound after the <c>JwtDevices</c> section, so a setting in both takes the scheme section's value,
/// and before the application's own <c>configure</c>, which has the last word.
/// </summary>
internal static class JwtDevicesSchemeConfiguration
{
    public static void Bind(IServiceProvider services, string scheme, JwtDevicesOptions options)
    {
        // Registered by AddAuthentication(); an AuthenticationBuilder made by hand may lack it.
        var section = services.GetService<IAuthenticationConfigurationProvider>()?.GetSchemeConfiguration(scheme);
        if (section is null || !section.GetChildren().Any())
        {
            return;
        }
        // The binder adds list items to those already there: the section's key list replaces, not extends.
        if (section.GetSection(nameof(JwtDevicesOptions.SigningKeys)).GetChildren().Any())
        {
            options.SigningKeys.Clear();
        }
        section.Bind(options);
    }
}
