using System.Data.Common;
using System.Net;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace JwtDevices.Tests;

/// <summary>
/// A database error that is not an outage (here a statement the database refuses) is a bug: 500, logged
/// as an error with its exception, never dressed as "cannot reach its database" (503 and Retry-After).
/// Real outages keep their 503 (<c>SqliteOutageTests</c>, <c>PostgresOutageTests</c>).
/// </summary>
public abstract class DatabaseErrorTests<TServer> : IDisposable
    where TServer : ServerFactory, new()
{
    private readonly BreakNextQuery _breaker = new();
    private readonly ServerFactory _server;

    protected DatabaseErrorTests()
    {
        _server = new TServer().WithServices(services => services.AddSingleton<IInterceptor>(_breaker));
    }

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task AStatementTheDatabaseRefuses_Is500AndLoggedAsAnError_Not503()
    {
        await _server.AddUserAsync("db_bug");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("db_bug");

        _breaker.Arm();
        using var response = await client.SendWithTokenAsync(HttpMethod.Get, "/devices/", login.Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        ProblemAssert.HasNoInternals(await response.Content.ReadAsStringAsync());
        Assert.Contains(_server.LogLines, line => line.StartsWith("Error ", StringComparison.Ordinal) && line.Contains("SELEKT", StringComparison.Ordinal));
        Assert.DoesNotContain(_server.LogLines, line => line.Contains("could not be reached", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/devices/", login.Token));
    }

    /// <summary>Once armed, turns the next query into one no database takes.</summary>
    private sealed class BreakNextQuery : DbCommandInterceptor
    {
        private int _armed;

        public void Arm() => Volatile.Write(ref _armed, 1);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Break(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Break(command);
            return ValueTask.FromResult(result);
        }

        private void Break(DbCommand command)
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                command.CommandText = "SELEKT 1";
            }
        }
    }
}

public sealed class DatabaseErrorsOnSqlite : DatabaseErrorTests<SqliteServer>;

[RequiresService(TestServices.Postgres)]
public sealed class DatabaseErrorsOnPostgres : DatabaseErrorTests<PostgresServer>;
