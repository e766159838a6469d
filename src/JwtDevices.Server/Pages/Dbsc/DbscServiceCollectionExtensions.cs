using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Pages.Dbsc;

/// <summary>The services of the pages' bound sessions, with <c>Pages:Dbsc</c> validated at start.</summary>
internal static class DbscServiceCollectionExtensions
{
    public static IServiceCollection AddPageDbsc(this IServiceCollection services)
    {
        services.AddOptions<PageDbscOptions>().BindConfiguration(PageDbscOptions.ConfigurationSection).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PageDbscOptions>, PageDbscOptionsValidator>());
        services.TryAddSingleton<DbscChallenges>();
        services.TryAddSingleton<DbscProofs>();
        services.TryAddSingleton<DbscSessionCookie>();
        return services;
    }
}
