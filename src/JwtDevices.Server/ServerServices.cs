using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server;

/// <summary>The server's services: SQLite, Identity users, and JwtDevices over both.</summary>
internal static class ServerServices
{
    public static IServiceCollection AddJwtDevicesServer(this IServiceCollection services)
    {
        // Interceptors registered in DI join every context (the tests count database commands this way).
        services.AddDbContext<ServerDbContext>((provider, options) => options
            .UseSqlite(ServerDatabase.ConnectionString(provider.GetRequiredService<IConfiguration>()))
            .AddInterceptors(provider.GetServices<IInterceptor>()));

        services.AddIdentityCore<ServerUser>(options =>
            {
                // Length is what makes a password strong; composition rules only annoy.
                options.Password.RequiredLength = 8;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 1;
                options.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<ServerDbContext>();

        services.AddAuthentication(JwtDevicesDefaults.AuthenticationScheme).AddJwtDevices();
        services.AddSingleton<IPostConfigureOptions<JwtDevicesOptions>, SigningKeyFile>();
        services.AddJwtDevicesEntityFrameworkStore<ServerDbContext>();
        services.AddJwtDevicesIdentityUsers<ServerUser>();
        services.AddProblemDetails();
        return services;
    }
}
