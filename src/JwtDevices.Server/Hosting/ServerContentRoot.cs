namespace JwtDevices.Server.Hosting;

/// <summary>
/// The server's content root: where it reads <c>appsettings.json</c> and keeps its default SQLite database
/// and key file. ASP.NET Core takes the working directory, so <c>dotnet JwtDevices.Server.dll users list</c>
/// run from another folder would read no settings and make a new, empty database there. Unless the content
/// root is set (<c>--contentRoot</c>, <c>DOTNET_CONTENTROOT</c> or <c>ASPNETCORE_CONTENTROOT</c>), it is
/// the working directory when that holds an <c>appsettings.json</c> (<c>dotnet run</c> in the project
/// folder, a published app started in its folder), and the app's own folder otherwise.
/// </summary>
internal static class ServerContentRoot
{
    /// <summary>The builder's options for these arguments, with the content root chosen as above.</summary>
    public static WebApplicationOptions Options(string[] args) =>
        new() { Args = args, ContentRootPath = Choose(args, Directory.GetCurrentDirectory(), AppContext.BaseDirectory) };

    /// <summary>The content root to use, or <see langword="null"/> to let the host take the one it was given.</summary>
    internal static string? Choose(string[] args, string workingDirectory, string appDirectory)
    {
        // The sources, in the order the host reads them for its own settings.
        var host = new ConfigurationBuilder()
            .AddEnvironmentVariables("DOTNET_")
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build();
        if (!string.IsNullOrEmpty(host[HostDefaults.ContentRootKey]))
        {
            return null;
        }
        return File.Exists(Path.Combine(workingDirectory, "appsettings.json")) ? null : appDirectory;
    }
}
