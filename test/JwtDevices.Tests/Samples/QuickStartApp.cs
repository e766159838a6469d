extern alias QuickStartSample;

using JwtDevices.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using QuickStartSample::QuickStart;

namespace JwtDevices.Tests.Samples;

/// <summary>
/// The sample of <c>samples/QuickStart</c>, unchanged, on a SQLite file of its own: in this process over the
/// test server, and as its own process (<c>dotnet QuickStart.dll add-user NAME</c>) for its command.
/// </summary>
internal sealed class QuickStartApp : WebApplicationFactory<AppDbContext>
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jwtdevices-quickstart-").FullName;

    public string ConnectionString => $"Data Source={Path.Combine(_directory, "quickstart.db")}";

    /// <summary>Runs <c>add-user NAME [ROLE...]</c> in the sample's folder, as <c>dotnet run -- add-user NAME</c> does.</summary>
    public Task<ChildProcess.Result> AddUserAsync(string name, string? standardInput = null, string? passwordVariable = null, string[]? roles = null) =>
        ChildProcess.RunDotnetAsync(
            Repository.PathOf("samples", "QuickStart"),
            [Path.Combine(AppContext.BaseDirectory, "QuickStart.dll"), "add-user", name, .. roles ?? []],
            new Dictionary<string, string?>
            {
                ["ConnectionStrings__Default"] = ConnectionString,
                ["QUICKSTART_PASSWORD"] = passwordVariable,
            },
            standardInput);

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseSetting("ConnectionStrings:Default", ConnectionString);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the temp folder is cleaned by the system.
            }
        }
    }
}
