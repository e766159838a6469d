using JwtDevices.EntityFrameworkCore;
using JwtDevices.Server.Data;
using JwtDevices.Server.Pages.Dbsc;
using JwtDevices.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Hosting;

/// <summary>The server's services: its database (SQLite or PostgreSQL), Identity users, and JwtDevices over both.</summary>
internal static class ServerServices
{
    /// <summary>Everything the server and its commands run on: database, users, JwtDevices, health checks, Redis.</summary>
    /// <exception cref="ServerConfigurationException">The database settings are wrong.</exception>
    public static IServiceCollection AddJwtDevicesServerServices(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddJwtDevicesServer(configuration, environment);
        services.AddJwtDevicesServerHealthChecks();
        services.AddJwtDevicesServerRedis(configuration);
        services.AddJwtDevicesServerForwardedHeaders(configuration);
        services.AddJwtDevicesServerOpenApi();
        return services;
    }

    /// <exception cref="ServerConfigurationException">The database settings are wrong.</exception>
    public static IServiceCollection AddJwtDevicesServer(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = ServerDatabase.ConnectionString(configuration, environment.ContentRootPath);
        // Interceptors registered in DI join every context (the tests count database commands this way). Contexts are
        // pooled: a refresh or log-in sends two or three small commands, and a new context per request (its own
        // services, from DI) cost more than they do. The pool resets a context before it serves another request.
        if (ServerDatabase.Provider(configuration) == DatabaseProvider.Postgres)
        {
            services.AddDbContextPool<ServerDbContext, PostgresServerDbContext>((provider, options) => options
                .UseNpgsql(connectionString)
                .AddInterceptors(provider.GetServices<IInterceptor>()));
        }
        else
        {
            services.AddDbContextPool<ServerDbContext, SqliteServerDbContext>((provider, options) => options
                .UseSqlite(connectionString)
                .AddInterceptors(provider.GetServices<IInterceptor>()));
            services.AddSingleton<JwtDevices.Endpoints.IStoreOutageClassifier, SqliteOutageClassifier>();
        }

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
                // The failed-log-in rate limit guards against guessing; lock-out stays for administrators to deactivate a user.
                options.Lockout.MaxFailedAccessAttempts = int.MaxValue;
            })
            .AddRoles<IdentityRole<long>>()
            .AddUserStore<ServerUserStore>()
            .AddUserManager<ServerUserManager>()
            .AddRoleStore<RoleStore<IdentityRole<long>, ServerDbContext, long>>();
        // Identity's hasher, which also verifies the Django password hashes of users import-django brought over.
        services.TryAddSingleton<PasswordHasher<ServerUser>>();
        services.Replace(ServiceDescriptor.Singleton<IPasswordHasher<ServerUser>, Django.DjangoPasswordHasher>());

        services.AddAuthentication(JwtDevicesDefaults.AuthenticationScheme).AddJwtDevices();
        services.AddSingleton<IPostConfigureOptions<JwtDevicesOptions>, SigningKeyFile>();
        services.AddJwtDevicesEntityFrameworkStore<ServerDbContext>();
        // Database:PostgresNotifications, Database:PostgresNotificationChannel, Database:SqliteChangeCheckInterval.
        services.AddOptions<JwtDevicesEntityFrameworkCoreOptions>().BindConfiguration(ServerDatabase.Section);
        services.AddJwtDevicesIdentityUsers<ServerUser>();
        services.AddJwtDevicesRateLimits();
        services.AddScoped<UserCredentialChanges>();
        services.AddPageDbsc();
        services.AddProblemDetails();
        RemoveDataProtection(services);
        return services;
    }

    // Nothing in the server protects data with it (no cookies, no antiforgery, no Identity tokens), but
    // AddAuthentication registers Data Protection, whose start-up service would make a key ring in the
    // home folder, unencrypted, and warn about it.
    private static void RemoveDataProtection(IServiceCollection services)
    {
        static bool OfDataProtection(Type? type) =>
            type is not null
            && (type.Assembly.GetName().Name!.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal)
                || type.GenericTypeArguments.Any(OfDataProtection));
        foreach (var descriptor in services.Where(d => OfDataProtection(d.ServiceType) || OfDataProtection(d.ImplementationType)).ToList())
        {
            services.Remove(descriptor);
        }
    }
}
