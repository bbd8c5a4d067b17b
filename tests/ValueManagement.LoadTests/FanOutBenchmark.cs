using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.Hosting;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Hosting;
using ValueManagement.Teams.Schema;
using Activity = ValueManagement.Teams.Schema.Activity;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.LoadTests;

public sealed record FanOutBenchmarkOptions
{
    public int Teams { get; init; } = 5000;
    public int Rate { get; init; } = 30;
    public int LatencyMs { get; init; }
    public int TenantLimit { get; init; } = TeamsRateLimits.PerTenantPerSecond;
    public int Concurrency { get; init; } = 16;

    /// <summary>The send ledger and the shared tenant ceiling in this PostgreSQL database instead of a LiteDB file.</summary>
    public string? PostgreSqlConnectionString { get; init; }

    /// <summary>Bot instances running the same fan-out at once, as every instance's tick does (PostgreSQL only).</summary>
    public int Instances { get; init; } = 1;
}

public sealed record FanOutBenchmarkResult
{
    public const string Header = "| Teams | Ceiling (msg/s) | Achieved (msg/s) | Steady (msg/s) | Busiest second | Duration | Connector latency | Connector tenant limit | 429s | Retries | Peak working set | Lost | Duplicated | Re-run sends |";
    public const string Separator = "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public required FanOutBenchmarkOptions Options { get; init; }
    public TimeSpan Duration { get; init; }
    public double MessagesPerSecond { get; init; }
    public double SteadyMessagesPerSecond { get; init; }
    public int BusiestSecond { get; init; }
    public int Throttled { get; init; }
    public int Retries { get; init; }
    public long PeakWorkingSetBytes { get; init; }
    public int Lost { get; init; }
    public int Duplicated { get; init; }
    public int RerunSends { get; init; }

    public string ToMarkdownRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {Options.Teams:N0} | {Options.Rate} | {MessagesPerSecond:F1} | {SteadyMessagesPerSecond:F1} | {BusiestSecond} | {Duration.TotalSeconds:F1} s | {Options.LatencyMs} ms | {Options.TenantLimit}/s | {Throttled} | {Retries} | {PeakWorkingSetBytes / (1024.0 * 1024.0):F0} MB | {Lost} | {Duplicated} | {RerunSends} |");
}

/// <summary>
/// The Monday prompt to N teams: the bot's real services (Connector client with its MSAL token,
/// LiteDB ledger on a temporary file, the paced sender) in a generic host, against the fake Bot
/// Framework cloud on https loopback with Teams' limits enforced. With PostgreSQL, several such hosts
/// (instances) share one database and all run the same fan-out at once.
/// </summary>
public static class FanOutBenchmark
{
    private const string AppId = "6d7a1e2c-5b4f-4c3d-9e8f-0a1b2c3d4e5f";
    private const string TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string Kind = "prompt";
    private const string Week = "2026-W48";

    public static async Task<FanOutBenchmarkResult> RunAsync(FanOutBenchmarkOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "vm-loadtests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        await using var cloud = await FakeBotFrameworkCloud.StartAsync();
        cloud.RecordBodies = false;
        cloud.ResponseDelay = TimeSpan.FromMilliseconds(options.LatencyMs);
        var limits = cloud.EnforceTeamsLimits(new TeamsLimitSettings { PerTenantPerSecond = options.TenantLimit });

        var hosts = new List<IHost>();
        try
        {
            // Team ids of their own on every run, so that a database kept from an earlier run holds none of them.
            var run = Guid.NewGuid().ToString("N")[..8];
            for (var i = 0; i < Math.Max(1, options.Instances); i++)
            {
                var host = BuildHost(cloud, Path.Combine(directory, "load.db"), options);
                hosts.Add(host);
                await host.StartAsync(cancellationToken);
            }
            var senders = hosts.Select(h => h.Services.GetRequiredService<ProactiveSender>()).ToList();
            var ledger = hosts[0].Services.GetRequiredService<DeliveryLedger>();
            // As at 08:00 on a Monday, the bot has been up for a while: its token is cached and its
            // code compiled. A small fan-out to other channels warms both; then the counters restart.
            for (var i = 0; i < senders.Count; i++)
            {
                var warmUp = Enumerable.Range(1, 40).Select(w => new Team($"warm-{run}-{i}-{w:D2}", $"19:warmup{run}{i}{w:D2}00000000000@thread.tacv2", $"Warm-up {w}")).ToList();
                await senders[i].FanOutAsync(new FanOut("warm-up", Week, MondayPrompt(warmUp, cloud.ServiceUrl).Items.Select(item => item with
                {
                    Key = new DeliveryKey("warm-up", item.Key.TeamId, Week, item.Key.Destination),
                }).ToList()), cancellationToken);
            }
            limits = cloud.EnforceTeamsLimits(new TeamsLimitSettings { PerTenantPerSecond = options.TenantLimit });
            cloud.ClearCalls();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // let the warm-up's second pass

            var teams = Enumerable.Range(1, options.Teams).Select(i => new Team($"team-{run}-{i:D5}", $"19:team{run}{i:D5}general00000@thread.tacv2", $"Ward {i}")).ToList();

            log.WriteLine($"Fan-out to {options.Teams} teams at a ceiling of {options.Rate}/s (Connector latency {options.LatencyMs} ms, tenant limit {options.TenantLimit}/s, {senders.Count} instance(s), {(options.PostgreSqlConnectionString is null ? "LiteDB" : "PostgreSQL")})...");
            var stopwatch = Stopwatch.StartNew();
            var results = await Task.WhenAll(senders.Select(sender => sender.FanOutAsync(MondayPrompt(teams, cloud.ServiceUrl), cancellationToken)));
            stopwatch.Stop();
            var sent = results.Sum(r => r.Sent);
            var accepted = limits.AdmittedRequests.Select(r => r.At).Order().ToList();
            var steady = accepted.Count > 1 ? (accepted.Count - 1) / (accepted[^1] - accepted[0]).TotalSeconds : 0;
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var peak = process.PeakWorkingSet64;
            log.WriteLine($"Sent {sent}, failed {results.Sum(r => r.Failed)}, unreachable {results.Sum(r => r.Unreachable)}, 429s {results.Sum(r => r.Throttled)}, retries {results.Sum(r => r.Retries)} in {stopwatch.Elapsed.TotalSeconds:F1} s"
                + (results.Length > 1 ? $" (by instance: {string.Join(", ", results.Select(r => r.Sent))})." : "."));

            var posted = cloud.PostedMessageCounts;
            var lost = teams.Count(t => !posted.ContainsKey(t.ChannelId));
            var duplicated = teams.Sum(t => posted.TryGetValue(t.ChannelId, out var count) ? Math.Max(0, count - 1) : 0);
            var report = ledger.FanOut(Kind, Week)!;
            if (report.Sent < options.Teams)
                log.WriteLine($"WARNING: the ledger holds {report.Sent} of {options.Teams} as sent.");

            log.WriteLine("Running the same fan-out again (a retried job)...");
            var before = posted.Values.Sum();
            var rerun = await senders[0].FanOutAsync(MondayPrompt(teams, cloud.ServiceUrl), cancellationToken);
            var rerunSends = posted.Values.Sum() - before;
            log.WriteLine($"Re-run: {rerun.AlreadySent} already sent, {rerun.Sent} sent.");

            foreach (var host in hosts) await host.StopAsync(CancellationToken.None);
            return new FanOutBenchmarkResult
            {
                Options = options,
                Duration = stopwatch.Elapsed,
                MessagesPerSecond = sent / stopwatch.Elapsed.TotalSeconds,
                SteadyMessagesPerSecond = steady,
                BusiestSecond = TeamsLimitEnforcer.MaxInAnyWindow(accepted, TimeSpan.FromSeconds(1)),
                Throttled = limits.Throttled,
                Retries = results.Sum(r => r.Retries),
                PeakWorkingSetBytes = peak,
                Lost = lost,
                Duplicated = duplicated,
                RerunSends = rerunSends,
            };
        }
        finally
        {
            foreach (var host in hosts) host.Dispose();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private sealed record Team(string Id, string ChannelId, string Name);

    private static FanOut MondayPrompt(IEnumerable<Team> teams, string serviceUrl) =>
        new(Kind, Week, teams.Select(team => new DeliveryItem(
            new DeliveryKey(Kind, team.Id, Week, "channel:" + team.ChannelId),
            new ConversationTarget(serviceUrl, team.ChannelId),
            TenantId,
            () => PromptCard(team))));

    /// <summary>A prompt card of realistic size (about 3 KB): heading, context, three questions, a submit action.</summary>
    private static Activity PromptCard(Team team)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = $"{team.Name}: this week's value check", ["size"] = "Large", ["weight"] = "Bolder", ["wrap"] = true },
            new JsonObject { ["type"] = "TextBlock", ["text"] = "Week 48. Three quick questions about where time and money went last week. Answers are shared with the team's lead and the value management office.", ["wrap"] = true, ["isSubtle"] = true },
        };
        string[] questions =
        [
            "Which activity took the most staff time for the least patient benefit?",
            "Was any supply or equipment wasted, and roughly what did it cost?",
            "One change that would save time next week, and who should own it?",
        ];
        for (var i = 0; i < questions.Length; i++)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = questions[i], ["wrap"] = true, ["weight"] = "Bolder", ["spacing"] = "Medium" });
            body.Add(new JsonObject { ["type"] = "Input.Text", ["id"] = $"q{i + 1}", ["isMultiline"] = true, ["maxLength"] = 1000, ["placeholder"] = "Your answer" });
        }
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = "1.5",
            ["body"] = body,
            ["actions"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "Action.Execute",
                    ["title"] = "Submit",
                    ["verb"] = "prompt.submit",
                    ["data"] = new JsonObject { ["team"] = team.Id, ["week"] = Week },
                    ["fallback"] = new JsonObject { ["type"] = "Action.Submit", ["title"] = "Submit", ["data"] = new JsonObject { ["action"] = "prompt.submit", ["team"] = team.Id, ["week"] = Week } },
                },
            },
            ["msteams"] = new JsonObject { ["width"] = "Full" },
        };
        return Activity.Card(new AdaptiveCardAttachmentContent(JsonSerializer.SerializeToElement(card)), summary: $"{team.Name}: this week's value check");
    }

    private static IHost BuildHost(FakeBotFrameworkCloud cloud, string databasePath, FanOutBenchmarkOptions options)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production, DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = "load-test-secret",
            ["MicrosoftAppType"] = "MultiTenant",
            ["ToBotFromChannelOpenIdMetadataUrl"] = cloud.OpenIdMetadataUrl,
            ["ToChannelFromBotLoginUrl"] = cloud.LoginUrl,
            ["ValidateAuthority"] = "false",
            ["Bot:TrustedServiceUrlHosts:0"] = "127.0.0.1",
            ["Bot:Delivery:TenantMessagesPerSecond"] = options.Rate.ToString(CultureInfo.InvariantCulture),
            ["Bot:Delivery:MaxConcurrentSends"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
            ["Bot:Delivery:MaxAttempts"] = "10",
            ["Storage:LiteDb:Path"] = databasePath,
            ["Storage:Provider"] = options.PostgreSqlConnectionString is null ? "LiteDb" : "PostgreSql",
            ["Storage:PostgreSql:ConnectionString"] = options.PostgreSqlConnectionString,
            ["Scheduling:Enabled"] = "false",
            ["Scheduling:Storage"] = "InMemory",
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        builder.Services.AddTeamsBotProtocol(builder.Configuration);
        builder.Services.AddValueManagementFeatures(builder.Configuration);
        builder.Services.AddDelivery(builder.Configuration);
        // The one concession to the loopback: the fake Microsoft endpoints' certificate is trusted.
        builder.Services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(TestCertificate.TrustingHandler));
        return builder.Build();
    }
}
