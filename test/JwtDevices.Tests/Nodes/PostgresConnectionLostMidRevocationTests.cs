using System.Globalization;
using System.Net;
using JwtDevices.Endpoints;
using JwtDevices.Tests.BadInput;
using JwtDevices.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace JwtDevices.Tests.Nodes;

/// <summary>
/// The fault drill (perf/fault-drill.sh) found it: PostgreSQL killed while a log-out's transaction is open, between
/// its statements. The driver has seen the connection die and ended the transaction, so the next statement fails
/// with "Transaction is already completed", which named no database error and was answered 500. It is an outage:
/// 503, nothing deleted, and the client's retry logs the device out.
/// </summary>
[Collection(NodeTestsRunAlone.Name)]
[RequiresService(TestServices.Postgres)]
public sealed class PostgresConnectionLostMidRevocationTests : IDisposable
{
    private readonly KillConnectionAfterNextSave _killer = new();
    private readonly ServerFactory _server;

    public PostgresConnectionLostMidRevocationTests()
    {
        _server = new PostgresServer().WithServices(services => services.AddSingleton<IInterceptor>(_killer));
    }

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task LogOut_WhenTheConnectionDiesInsideItsTransaction_Answers503_DeletesNothing_AndTheRetryLogsOut()
    {
        await _server.AddUserAsync("pg_lost_mid_revocation");
        var client = _server.CreateClient();
        var login = await client.LoginAsync("pg_lost_mid_revocation");
        var deviceId = ("Device-Id", login.DeviceId!.Value.ToString(CultureInfo.InvariantCulture));

        _killer.Arm(_server.ConnectionString);
        using (var response = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", login.Token, headers: deviceId))
        {
            Assert.True(_killer.Killed, "The interceptor did not kill the log-out's connection.");
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, JwtDevicesErrors.ServiceUnavailable);
        }
        Assert.Equal(1, await _server.CountDevicesAsync());
        Assert.Equal(HttpStatusCode.OK, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));

        using (var retry = await client.SendWithTokenAsync(HttpMethod.Delete, "/device-logout/", login.Token, headers: deviceId))
        {
            Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        }
        Assert.Equal(0, await _server.CountDevicesAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, await client.StatusOfAsync(HttpMethod.Get, "/me", login.Token));
    }

    /// <summary>
    /// Once armed, right after the next SaveChanges (the log-out writing its revocation log entry, inside its
    /// transaction), ends that connection's backend as a dying PostgreSQL does and lets the driver see it, as the
    /// drill's log-out did when the postmaster was killed.
    /// </summary>
    private sealed class KillConnectionAfterNextSave : SaveChangesInterceptor
    {
        private string? _armed;

        public bool Killed { get; private set; }

        public void Arm(string connectionString) => Volatile.Write(ref _armed, connectionString);

        public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref _armed, null) is { } connectionString && eventData.Context is { } context)
            {
                var connection = (NpgsqlConnection)context.Database.GetDbConnection();
                Assert.NotNull(context.Database.CurrentTransaction);
                Assert.True(await TwoNodePostgresNotifyTests.TerminateBackendAsync(connectionString, connection.ProcessID));
                // The driver learns of it on its next round trip on that connection, and ends the transaction.
                await Assert.ThrowsAsync<PostgresException>(async () =>
                {
                    for (var attempt = 0; attempt < 50; attempt++)
                    {
                        await using var probe = new NpgsqlCommand("SELECT 1", connection);
                        await probe.ExecuteScalarAsync(cancellationToken);
                        await Task.Delay(20, cancellationToken);
                    }
                });
                Killed = true;
            }
            return result;
        }
    }
}
