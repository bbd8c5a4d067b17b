using System.Net;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Scheduling;
using ValueManagement.Features.Storage;
using ValueManagement.Features.Storage.PostgreSql;
using ValueManagement.Testing.PostgreSql;

namespace ValueManagement.Bot.Tests.Storage;

/// <summary>The bot with <c>Storage:Provider=PostgreSql</c>: the document database, Hangfire's jobs and the readiness check on PostgreSQL.</summary>
public sealed class PostgreSqlHostTests(BotTestEnvironment environment, PostgreSqlDatabaseFixture database)
    : IClassFixture<BotTestEnvironment>, IClassFixture<PostgreSqlDatabaseFixture>
{
    [SkippableFact]
    public async Task PostgreSqlProvider_IsReady_AndHangfireRunsTheTickFromTheDatabase()
    {
        var connectionString = database.RequireConnectionString();
        await using var host = environment.StartHost(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:PostgreSql:ConnectionString"] = connectionString,
            ["Scheduling:Enabled"] = "true",
            ["Scheduling:Storage"] = "Sqlite",
            ["Scheduling:PollInterval"] = "00:00:00.200",
        });
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        Assert.IsType<PostgreSqlDocumentDatabase>(host.Services.GetRequiredService<IDocumentDatabase>());
        Assert.IsType<PostgreSqlStorage>(host.Services.GetRequiredService<JobStorage>());

        host.Services.GetRequiredService<IRecurringJobManager>().Trigger(RhythmTickJob.RecurringJobId);
        var runner = host.Services.GetRequiredService<RhythmRunner>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (runner.LastTickAt is null && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.NotNull(runner.LastTickAt);

        Assert.True(Count(connectionString, $"select count(*) from {SchedulingServiceCollectionExtensions.PostgreSqlJobSchema}.job") > 0);
        Assert.True(Count(connectionString, $"select count(*) from {SchedulingServiceCollectionExtensions.PostgreSqlJobSchema}.server") > 0);
    }

    [Fact]
    public async Task PostgreSqlProvider_ServerUnreachable_ReadyzAnswers503()
    {
        await using var host = environment.StartHost(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:PostgreSql:ConnectionString"] = $"Host=127.0.0.1;Port={ClosedPort()};Database=vm;Username=vm;Timeout=2",
        });
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Theory]
    [InlineData(null, "Storage:PostgreSql:ConnectionString is required")]
    [InlineData("Host=127.0.0.1;Pasword=secret-value", "cannot be read")]
    [InlineData("Host=127.0.0.1;Username=vm", "names no Database")]
    public void PostgreSqlProvider_BadConnectionString_HostRefusesToStartNamingTheKey(string? connectionString, string expected)
    {
        using var host = environment.StartHost(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:PostgreSql:ConnectionString"] = connectionString,
        });

        var failure = Assert.ThrowsAny<Exception>(() => host.Services);
        var message = (failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException ?? failure).Message;
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", message, StringComparison.Ordinal);
    }

    private static long Count(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (long)command.ExecuteScalar()!;
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
