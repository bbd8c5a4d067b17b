using System.Globalization;
using System.Text.RegularExpressions;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Scheduling;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Faults;

/// <summary>
/// The bot as a real process with Hangfire on SQLite, SIGKILLed in the middle of a 200-team Monday
/// prompt and started again on the same files: the fan-out completes, every channel has its prompt,
/// none twice except one in flight at the kill, and <c>status</c> reports those.
/// </summary>
public sealed partial class FanOutKillTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private const int Teams = 200;
    private const int PromptsBeforeKill = 40;

    [Fact]
    public async Task Sigkill_DuringTheMondayFanOut_TheRestartFinishesIt_AndStatusReportsAnyThatMayShowTwice()
    {
        environment.Cloud.Reset();
        var databasePath = environment.NewDatabasePath();
        var workingDirectory = Path.Combine(environment.Directory, "fanout-" + Guid.NewGuid().ToString("N"));
        Seed(databasePath);
        var settings = new Dictionary<string, string>
        {
            ["Scheduling__Enabled"] = "true",
            // On a bank holiday the prompt moves to the next working day and none would be due today.
            ["Scheduling__ScottishBankHolidays"] = "false",
            ["Scheduling__PollInterval"] = "00:00:00.500",
            ["Scheduling__CatchUpWindow"] = "00:30:00",
            ["Scheduling__InvisibilityTimeout"] = "00:00:30",
        };

        await using (var bot = await BotProcess.StartAsync(environment.Cloud, databasePath, workingDirectory, settings))
        {
            // Starting triggers a tick: the prompt set five minutes ago is due at once.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (Prompts().Count < PromptsBeforeKill && DateTime.UtcNow < deadline && !bot.HasExited)
                await Task.Delay(5);
            Assert.True(Prompts().Count >= PromptsBeforeKill, $"only {Prompts().Count} prompts before the kill:\n{bot.Output}");
            await bot.KillAsync();
        }
        var beforeKill = Prompts().Count;
        Assert.InRange(beforeKill, PromptsBeforeKill, Teams - 1);

        await using (var restarted = await BotProcess.StartAsync(environment.Cloud, databasePath, workingDirectory, settings))
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (Prompts().Select(p => p.ConversationId).Distinct().Count() < Teams && DateTime.UtcNow < deadline)
                await Task.Delay(100);

            Assert.True(Prompts().Select(p => p.ConversationId).Distinct().Count() == Teams, $"not every channel prompted after the restart:\n{restarted.Output}");

            // The answer to status is the one call that is not a prompt; a prompt sent again (the one in flight at the
            // kill) may still arrive meanwhile, so the prompts are counted after the answer.
            using var response = await restarted.SendAsync(restarted.Activities.Personal("status", TestUser.AdminGrant));
            var reply = Assert.Single(await environment.Cloud.WaitForCallsAsync(1, c => !IsPrompt(c), timeout: TimeSpan.FromSeconds(10)));
            var text = reply.Body?["text"]?.GetValue<string>() ?? string.Empty;
            var perChannel = Prompts().GroupBy(p => p.ConversationId ?? string.Empty).ToDictionary(g => g.Key, g => g.Count());
            var twice = perChannel.Count(p => p.Value > 1);
            Assert.All(perChannel.Values, count => Assert.InRange(count, 1, 2));
            Assert.Contains($"{Teams} of {Teams} sent", text, StringComparison.Ordinal);
            // Every prompt that did arrive twice is among those the bot says may show twice (said only when there are some).
            var mayShowTwice = MayShowTwice().Match(text);
            Assert.InRange(twice, 0, mayShowTwice.Success ? int.Parse(mayShowTwice.Groups[1].Value, CultureInfo.InvariantCulture) : 0);
            await restarted.StopAsync();
        }
    }

    [GeneratedRegex(@"(\d+) may show twice")]
    private static partial Regex MayShowTwice();

    private List<ConnectorCall> Prompts() => environment.Cloud.Calls.Where(IsPrompt).ToList();

    private static bool IsPrompt(ConnectorCall call) =>
        call.Method == "POST" && call.Card?.ToJsonString().Contains(CaptureVerbs.SubmitWeek, StringComparison.Ordinal) == true;

    private void Seed(string databasePath)
    {
        using var database = new VmDatabase(databasePath);
        var now = DateTimeOffset.UtcNow;
        ChannelTeams.PromptDue(database, ChannelTeams.Seed(database, environment.Cloud.ServiceUrl, Teams, now, TestUser.AdminGrant), now);
    }
}
