using System.CommandLine;
using JwtDevices.Server.Commands;
using JwtDevices.Server.Data;
using JwtDevices.Server.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace JwtDevices.Server.Django;

/// <summary>
/// <c>import-django --connection C [--connection-password-stdin] [--provider Sqlite|Postgres] [--batch-size N]
/// [--staff-as-admin]</c>: imports the users and devices of a drf-jwt-devices backend from its Django database,
/// which it only reads, into the server's configured database. The Django database's password never comes
/// on the command line, where other users see it: it comes from standard input or an environment variable.
/// Exits 0 with what it did, or 1 with a one-line reason and the server's database unchanged.
/// </summary>
internal static class DjangoImportCommand
{
    public const string Name = "import-django";

    /// <summary>The environment variable the Django database's password may come from.</summary>
    public const string PasswordVariable = "JWTDEVICES_DJANGO_PASSWORD";

    public static Command Create(CommandContext context, TextWriter output, TextWriter error)
    {
        var connection = new Option<string>("--connection")
        {
            Description = "The connection string of the Django database (a SQLite 'Data Source=...' or an Npgsql one), without its password; it is only read.",
            Required = true,
        };
        var passwordFromStandardInput = new Option<bool>("--connection-password-stdin")
        {
            Description = $"Reads the Django database's password from the first line of standard input; {PasswordVariable} is the other way to give it.",
        };
        var staffAreAdmins = new Option<bool>("--staff-as-admin")
        {
            Description = "Makes Django's staff (is_staff) admins too. By default only superusers (is_superuser) are: admin here sees and ends every user's devices.",
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
            connection, passwordFromStandardInput, provider, batchSize, staffAreAdmins,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var password = result.GetValue(passwordFromStandardInput)
                ? await context.Input.ReadLineAsync(cancellationToken)
                : Environment.GetEnvironmentVariable(PasswordVariable);
            return await RunAsync(
                context, result.GetValue(connection)!, string.IsNullOrEmpty(password) ? null : password, result.GetValue(provider),
                result.GetValue(batchSize), result.GetValue(staffAreAdmins), output, error, cancellationToken);
        });
        return command;
    }

    public static async Task<int> RunAsync(
        IServiceProvider services, string connection, string? password, string? provider, int batchSize, bool staffAreAdmins, TextWriter output, TextWriter error,
        CancellationToken cancellationToken = default)
    {
        // The settings the server would refuse, refused here too, before anything is read.
        if (ServerStartUp.Check(services) is { Count: > 0 } problems)
        {
            return await ServerFailure.ReportAsync(error, problems);
        }
        try
        {
            if (batchSize < 1)
            {
                throw new DjangoImportException("--batch-size must be at least 1.");
            }
            var sourceProvider = SourceProvider(provider, services);
            await using var source = await DjangoSource.OpenAsync(sourceProvider, connection, password, cancellationToken);
            await ServerDatabase.MigrateAsync(services, cancellationToken);
            await using var scope = services.CreateAsyncScope();
            var importer = new DjangoImporter(
                scope.ServiceProvider.GetRequiredService<ServerDbContext>(),
                scope.ServiceProvider.GetRequiredService<ILookupNormalizer>(),
                scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>());
            var report = await importer.ImportAsync(source, batchSize, staffAreAdmins, cancellationToken);
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
