using System.CommandLine;
using JwtDevices.Server.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Django;

/// <summary>
/// <c>import-django --connection C [--provider Sqlite|Postgres] [--batch-size N]</c>: imports the users and
/// devices of a drf-jwt-devices backend from its Django database, which it only reads, into the server's
/// configured database. Exits 0 with what it did, or 1 with a one-line reason and the server's database
/// unchanged.
/// </summary>
internal static class DjangoImportCommand
{
    public const string Name = "import-django";

    public static Command Create(IServiceProvider services, TextWriter output, TextWriter error)
    {
        var connection = new Option<string>("--connection")
        {
            Description = "The connection string of the Django database (a SQLite 'Data Source=...' or an Npgsql one); it is only read.",
            Required = true,
        };
        var provider = new Option<string?>("--provider")
        {
            Description = "The Django database's kind: Sqlite or Postgres. Defaults to the server's own Database:Provider.",
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Rows read and written at a time.",
            DefaultValueFactory = _ => DjangoImporter.DefaultBatchSize,
        };
        var command = new Command(Name, "Imports the users and devices of a drf-jwt-devices backend from its Django database.")
        {
            connection, provider, batchSize,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            services, result.GetValue(connection)!, result.GetValue(provider), result.GetValue(batchSize), output, error, cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(
        IServiceProvider services, string connection, string? provider, int batchSize, TextWriter output, TextWriter error,
        CancellationToken cancellationToken = default)
    {
        try
        {
            if (batchSize < 1)
            {
                throw new DjangoImportException("--batch-size must be at least 1.");
            }
            var sourceProvider = SourceProvider(provider, services);
            await using var source = await DjangoSource.OpenAsync(sourceProvider, connection, cancellationToken);
            await ServerDatabase.MigrateAsync(services, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var importer = new DjangoImporter(
                scope.ServiceProvider.GetRequiredService<ServerDbContext>(),
                scope.ServiceProvider.GetRequiredService<ILookupNormalizer>(),
                scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>());
            var report = await importer.ImportAsync(source, batchSize, cancellationToken);
            foreach (var line in report.Lines)
            {
                await output.WriteLineAsync(line);
            }
            await output.WriteLineAsync(report.Summary());
            return 0;
        }
        catch (DjangoImportException exception)
        {
            await error.WriteLineAsync($"error: {exception.Message} Nothing was imported.");
            return 1;
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            // The server's transaction rolled back when it was disposed unfinished.
            await error.WriteLineAsync($"error: writing to the server's database failed: {DjangoSource.OneLine(Innermost(exception).Message)} Nothing was imported.");
            return 1;
        }
    }

    private static DatabaseProvider SourceProvider(string? provider, IServiceProvider services)
    {
        if (string.IsNullOrWhiteSpace(provider))
        {
            return ServerDatabase.Provider(services.GetRequiredService<IConfiguration>());
        }
        return provider.Trim().ToUpperInvariant() switch
        {
            "SQLITE" => DatabaseProvider.Sqlite,
            "POSTGRES" => DatabaseProvider.Postgres,
            _ => throw new DjangoImportException($"--provider must be Sqlite or Postgres, not '{provider}'."),
        };
    }

    private static Exception Innermost(Exception exception) =>
        exception.InnerException is null ? exception : Innermost(exception.InnerException);
}
