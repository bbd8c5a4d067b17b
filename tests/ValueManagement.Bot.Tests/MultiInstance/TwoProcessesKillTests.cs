using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Bot.Tests.Scheduling;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.Scheduling;
using ValueManagement.Features.Storage;
using ValueManagement.Features.Storage.PostgreSql;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;
using ValueManagement.Testing.PostgreSql;
using Xunit.Abstractions;

namespace ValueManagement.Bot.Tests.MultiInstance;

/// <summary>
/// Two bot processes (A and B) on one fresh PostgreSQL database, both Hangfire servers on its
/// <c>hangfire</c> schema. A runs the 200-team Monday prompt and is SIGKILLed after about 40 posts;
/// B, already running, finishes the fan-out without A coming back: every channel prompted, none more
/// than twice, and no more twice than <c>status</c> says may show twice. Skipped, saying why, when no
/// PostgreSQL server is available.
/// </summary>
/// <remarks>
/// How B gets past what dead A held (Hangfire.PostgreSql 1.21, Hangfire 1.8):
/// <list type="bullet">
/// <item>The tick's <c>DisableConcurrentExecution</c> lock is a row in <c>hangfire.lock</c> (resource,
/// <c>acquired</c>), not tied to A's connection and never renewed while held. Its holder deletes it when
/// the job ends; otherwise each acquirer, before every attempt (one a second, for up to the attribute's
/// 300 s), deletes the row if it is older than <c>PostgreSqlStorageOptions.DistributedLockTimeout</c>:
/// 30 s as the bot sets it (the library's default is 10 minutes). So B's tick gets the lock at most
/// 30 s after A <i>took</i> it, whenever A died.</item>
/// <item>The tick job A was running: with the sliding invisibility timeout A's heartbeat rewrites its
/// <c>jobqueue.fetchedat</c> every <c>Scheduling:InvisibilityTimeout</c>/5; once A is dead nobody does,
/// and B fetches the job again when <c>fetchedat</c> is older than the timeout (30 s here, 2 minutes by
/// default, 30 minutes and not sliding in the library's defaults).</item>
/// <item>Hangfire's server timeout (2 minutes, checked every 30 s) only takes A off the server list;
/// on this storage it releases no lock and requeues no job.</item>
/// <item>A message A had in flight is left to A for <c>Bot:Delivery:InFlightLease</c> (3 minutes by
/// default, 10 s here), then B sends it again and counts it as possibly duplicated.</item>
/// </list>
/// Because the lock is not renewed, a tick running longer than 30 s on a live instance can be joined by
/// another instance's tick; the delivery ledger's per-message claims still send each message once.
/// Measured on a busy two-core machine (five runs): B's tick recorded the prompts 25–36 s after A's first
/// prompt (A takes the lock, then admits the 200 messages for some seconds before the first goes; B's
/// tick sends what is left, about 10 s at this ceiling, before recording); the last prompt went 10–33 s
/// after the kill, sooner when B's start-up resume of unfinished messages had taken A's queue over;
/// runs took 37–63 s. In earlier runs up to 2 channels were prompted twice, each reported by status.
/// The tenant ceiling is lowered to 16 a second so that A is still sending when it is killed.
/// </remarks>
public sealed partial class TwoProcessesKillTests(BotTestEnvironment environment, ITestOutputHelper output) : IClassFixture<BotTestEnvironment>
{
    private const int Teams = 200;
    private const int PromptsBeforeKill = 40;
    private static readonly TimeSpan BeforeKillDeadline = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan AfterKillDeadline = TimeSpan.FromSeconds(75);

    [SkippableFact]
    public async Task Sigkill_OfTheInstanceRunningTheMondayFanOut_TheOtherFinishesIt_NoneThreeTimes_StatusSaysWhichMayShowTwice()
    {
        var server = PostgreSqlTestServer.Shared;
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        var connectionString = server.CreateDatabase(out var databaseName);
        try
        {
            using var database = new PostgreSqlDocumentDatabase(connectionString);
            ChannelTeams.PromptDue(database, ChannelTeams.Seed(database, environment.Cloud.ServiceUrl, Teams, DateTimeOffset.UtcNow, TestUser.AdminGrant), DateTimeOffset.UtcNow);
            environment.Cloud.Reset();
            var settings = new Dictionary<string, string>
            {
                ["Storage__Provider"] = "PostgreSql",
                ["Storage__PostgreSql__ConnectionString"] = connectionString,
                ["Scheduling__Enabled"] = "true",
                // On a bank holiday the prompt moves to the next working day and none would be due today.
                ["Scheduling__ScottishBankHolidays"] = "false",
                ["Scheduling__PollInterval"] = "00:00:00.500",
                ["Scheduling__CatchUpWindow"] = "00:30:00",
                ["Scheduling__InvisibilityTimeout"] = "00:00:30",
                ["Bot__Delivery__TenantMessagesPerSecond"] = "16",
                ["Bot__Delivery__InFlightLease"] = "00:00:10",
            };
            var clock = Stopwatch.StartNew();
            var started = DateTimeOffset.UtcNow;

            // A starts first: its start triggers the tick, and the prompt set five minutes ago is due.
            await using var a = await StartAsync("a", settings);
            await using var b = await StartAsync("b", settings);
            var bReady = clock.Elapsed;
            var promptsWhenBReady = Prompts().Count;

            var deadline = clock.Elapsed + BeforeKillDeadline;
            while (Prompts().Count < PromptsBeforeKill && clock.Elapsed < deadline && !a.HasExited)
                await Task.Delay(5);
            Assert.True(Prompts().Count >= PromptsBeforeKill, $"only {Prompts().Count} prompts before the kill:\n{a.Output}");
            await a.KillAsync();
            var killedAt = DateTimeOffset.UtcNow;
            var atKill = Prompts().Count;
            Assert.True(atKill < Teams, $"all {Teams} prompts were out before A was killed; nothing was left for B");

            deadline = clock.Elapsed + AfterKillDeadline;
            while ((Channels() < Teams || PromptsOnRecord(database) < Teams || MessagesNotSent(database) > 0) && clock.Elapsed < deadline && !b.HasExited)
                await Task.Delay(100);

            Assert.True(Channels() == Teams, $"{Channels()} of {Teams} channels prompted {AfterKillDeadline.TotalSeconds} s after the kill:\n{b.Output}");
            // A was killed before its fan-out ended, so it recorded none: B's tick got past the lock A died holding.
            Assert.True(PromptsOnRecord(database) == Teams, $"{PromptsOnRecord(database)} of {Teams} prompts on record:\n{b.Output}");
            Assert.True(MessagesNotSent(database) == 0, $"{MessagesNotSent(database)} messages not sent:\n{b.Output}");

            // The answer to status is the one call that is not a prompt; a prompt A had in flight may still be sent
            // again by B meanwhile (after the lease), so the prompts are counted after the answer.
            using var response = await b.SendAsync(b.Activities.Personal("status", TestUser.AdminGrant));
            var reply = Assert.Single(await environment.Cloud.WaitForCallsAsync(1, c => c.Method == "POST" && RhythmTests.Describe(c) != "prompt", timeout: TimeSpan.FromSeconds(10)));
            var perChannel = Prompts().GroupBy(p => p.ConversationId!).ToDictionary(g => g.Key, g => g.Count());
            Assert.All(perChannel, p => Assert.True(p.Value <= 2, $"{p.Key} was prompted {p.Value} times"));
            var twice = perChannel.Count(p => p.Value == 2);
            var text = reply.Body?["text"]?.GetValue<string>() ?? string.Empty;
            var promptLine = PromptLine().Match(text);
            Assert.True(promptLine.Success, text);
            Assert.Equal($"{Teams} of {Teams}", promptLine.Groups["sent"].Value);
            // Every prompt that did arrive twice is among those the bot says may show twice (said only when there are some).
            var mayShowTwice = promptLine.Groups["twice"].Success ? int.Parse(promptLine.Groups["twice"].Value, CultureInfo.InvariantCulture) : 0;
            Assert.InRange(twice, 0, mayShowTwice);

            var prompts = Prompts();
            var firstPrompt = prompts.Min(p => p.At);
            var recorded = database.Collection(RhythmStateStore.Stored).All().Where(r => r.Kind == RhythmKind.Prompt.KeyName()).Select(r => r.FinishedAt).ToList();
            output.WriteLine(
                $"B up at {bReady.TotalSeconds:F1} s with {promptsWhenBReady} prompts out; the first prompt at {(firstPrompt - started).TotalSeconds:F1} s; " +
                $"A killed at {(killedAt - started).TotalSeconds:F1} s with {atKill} out; the last prompt {(prompts.Max(p => p.At) - killedAt).TotalSeconds:F1} s after the kill; " +
                $"B's tick recorded the prompts {(recorded.Min() - killedAt).TotalSeconds:F1} s after the kill ({(recorded.Min() - firstPrompt).TotalSeconds:F1} s after the first prompt); " +
                $"{twice} channels prompted twice, status says {mayShowTwice} may show twice.");
        }
        finally
        {
            server.DropDatabase(databaseName);
        }
    }

    [GeneratedRegex(@"- prompt \S+: (?<sent>\d+ of \d+) sent(?:[^\n]*?(?<twice>\d+) may show twice)?")]
    private static partial Regex PromptLine();

    private Task<BotProcess> StartAsync(string instance, Dictionary<string, string> settings) =>
        BotProcess.StartAsync(environment.Cloud, environment.NewDatabasePath(),
            Path.Combine(environment.Directory, $"kill-{instance}-{Guid.NewGuid():N}"), settings);

    private List<ConnectorCall> Prompts() =>
        RhythmTests.AcceptedPosts(environment.Cloud).Where(c => RhythmTests.Describe(c) == "prompt").ToList();

    private int Channels() => Prompts().Select(p => p.ConversationId).Distinct().Count();

    /// <summary>Messages in the send ledger not (yet) accepted by the Connector: pending, or in flight under a live or dead instance.</summary>
    private static int MessagesNotSent(IDocumentDatabase database) =>
        database.Collection(DeliveryLedger.StoredEntries).All().Count(e => e.State != DeliveryState.Sent);

    private static int PromptsOnRecord(IDocumentDatabase database) =>
        database.Collection(RhythmStateStore.Stored).All().Count(r => r.Kind == RhythmKind.Prompt.KeyName());
}
