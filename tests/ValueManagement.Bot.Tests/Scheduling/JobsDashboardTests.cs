using System.Net;
using System.Text.Json.Nodes;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Scheduling;

namespace ValueManagement.Bot.Tests.Scheduling;

/// <summary>
/// The Hangfire dashboard on the real host keeps the rules of /admin and is read-only; /readyz says
/// when the rhythm tick is not registered, and a start registers it again. A real Hangfire server runs
/// on a SQLite job file (or the PostgreSQL database when the tests run on it).
/// </summary>
public sealed class JobsDashboardTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    /// <summary>The test server has no socket: its callers are on this machine, as an ssh tunnel's or a local browser's are.</summary>
    private sealed class CallerOnThisMachine : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return following(context);
            });
            next(app);
        };
    }

    private Dictionary<string, string?> Settings(string jobsFile) => new()
    {
        ["Scheduling:Enabled"] = "true",
        ["Scheduling:Storage"] = "Sqlite",
        ["Scheduling:SqlitePath"] = jobsFile,
        ["Scheduling:PollInterval"] = "00:00:00.200",
    };

    private BotTestHost Start(string jobsFile, string? databasePath = null) =>
        environment.StartHost(Settings(jobsFile), services => services.AddSingleton<IStartupFilter>(new CallerOnThisMachine()), databasePath);

    private string NewJobsFile() => Path.Combine(environment.Directory, "jobs-" + Guid.NewGuid().ToString("N") + ".db");

    private static bool TickRegistered(BotTestHost host)
    {
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetRecurringJobs([RhythmTickJob.RecurringJobId]).Single() is { Removed: false };
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(BotTestHost host, string path, Action<HttpRequestMessage>? shape = null)
    {
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        shape?.Invoke(request);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Dashboard_FromThisMachine_ShowsTheTick_WrongHostOrForwardedHeadersRefused()
    {
        await using var host = Start(NewJobsFile());

        var local = await GetAsync(host, "/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, local.Status);
        Assert.Contains(RhythmTickJob.RecurringJobId, local.Body, StringComparison.Ordinal);

        // DNS rebinding: a page on evil.example whose name now points at 127.0.0.1.
        var rebound = await GetAsync(host, "/hangfire/recurring", r => r.Headers.Host = "evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, rebound.Status);
        Assert.Contains("addressed to evil.example", rebound.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(RhythmTickJob.RecurringJobId, rebound.Body, StringComparison.Ordinal);

        foreach (var header in new[] { "X-Forwarded-For", "Forwarded", "X-Real-IP" })
        {
            var forwarded = await GetAsync(host, "/hangfire/recurring", r => r.Headers.TryAddWithoutValidation(header, header == "Forwarded" ? "for=203.0.113.9" : "203.0.113.9"));
            Assert.Equal(HttpStatusCode.Forbidden, forwarded.Status);
            Assert.Contains($"through a proxy ({header})", forwarded.Body, StringComparison.Ordinal);
        }

        // The dashboard's data endpoints follow the same rules.
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(host, "/hangfire/stats", r => r.Headers.Host = "evil.example")).Status);
    }

    [Fact]
    public async Task CrossSitePostToRemoveTheTick_DoesNotRemoveIt()
    {
        await using var host = Start(NewJobsFile());
        Assert.True(TickRegistered(host));

        // A form on another site, submitted by the operator's browser to the dashboard on localhost.
        using var client = host.CreateClient();
        foreach (var command in new[] { "/hangfire/recurring/remove", "/hangfire/recurring/trigger", "/hangfire/recurring/disable" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, command)
            {
                Content = new FormUrlEncodedContent([new("jobs[]", RhythmTickJob.RecurringJobId)]),
            };
            request.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
            request.Headers.Referrer = new Uri("https://evil.example/page");
            using var response = await client.SendAsync(request);
            Assert.False(response.IsSuccessStatusCode, $"{command}: {(int)response.StatusCode}");
        }

        Assert.True(TickRegistered(host));
    }

    [Fact]
    public async Task Readyz_UnhealthyWithAReason_WhileTheTickIsMissing_HealthyAgainAfterTheNextStartRegistersIt()
    {
        var jobsFile = NewJobsFile();
        var databasePath = environment.NewDatabasePath();
        await using (var host = Start(jobsFile, databasePath))
        {
            var ready = await GetAsync(host, "/readyz");
            Assert.Equal(HttpStatusCode.OK, ready.Status);
            Assert.Equal("Healthy", JsonNode.Parse(ready.Body)!["checks"]!["rhythm-tick"]!["status"]!.GetValue<string>());

            // Removed by other means (a script on the job storage, an older dashboard).
            host.Services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(RhythmTickJob.RecurringJobId);

            var missing = await GetAsync(host, "/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, missing.Status);
            var check = JsonNode.Parse(missing.Body)!["checks"]!["rhythm-tick"]!;
            Assert.Equal("Unhealthy", check["status"]!.GetValue<string>());
            Assert.Contains("not registered", check["description"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        await using (var again = Start(jobsFile, databasePath))
        {
            var ready = await GetAsync(again, "/readyz");
            Assert.Equal(HttpStatusCode.OK, ready.Status);
            Assert.True(TickRegistered(again));
        }
    }
}
