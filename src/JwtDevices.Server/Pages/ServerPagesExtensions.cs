using JwtDevices.Server.Admin;

namespace JwtDevices.Server.Pages;

/// <summary>Serves the pages in <c>wwwroot</c>: plain HTML, CSS and JavaScript files, with no build step.</summary>
internal static class ServerPagesExtensions
{
    public static IApplicationBuilder UseServerPages(this IApplicationBuilder app)
    {
        app.UseAdminPage();
        app.UseDefaultFiles();
        return app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file => PageSecurityHeaders.Apply(file.Context.Response),
        });
    }
}
