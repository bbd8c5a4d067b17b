using System.Net;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Operations;

/// <summary>What an operator reads on the console of the bot, run as its own process.</summary>
public sealed class ConsoleLogTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    [Fact]
    public async Task ConsoleLines_ShowTheScopesValues_AndHangfireOnlySaysTheSchedulerStarted()
    {
        environment.Cloud.Reset();
        var workingDirectory = Path.Combine(environment.Directory, "logs-" + Guid.NewGuid().ToString("N"));
        await using var bot = await BotProcess.StartAsync(environment.Cloud, environment.NewDatabasePath(), workingDirectory, new Dictionary<string, string>
        {
            ["Logging__LogLevel__Default"] = "Information",
            ["Scheduling__Enabled"] = "true",
            ["Scheduling__Storage"] = "InMemory",
        });
        var activity = bot.Activities.Personal("help", TestUser.Stranger);
        var activityId = activity["id"]!.GetValue<string>();
        var conversationId = activity["conversation"]!["id"]!.GetValue<string>();

        using (var response = await bot.SendAsync(activity)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var command = await LineAsync(bot, line => line.Contains($"Command help in activity {activityId}", StringComparison.Ordinal));
        Assert.Contains($"=> ActivityId:{activityId} ConversationId:{conversationId} ActivityType:message ", command, StringComparison.Ordinal);
        var scheduler = await LineAsync(bot, line => line.Contains("Scheduler started", StringComparison.Ordinal));
        Assert.Contains("info: ValueManagement.Features.Scheduling.RhythmScheduler", scheduler, StringComparison.Ordinal);
        var lines = bot.Output.Split('\n');
        Assert.DoesNotContain(lines, line => line.Contains("System.Collections.Generic.Dictionary", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("info: Hangfire.", StringComparison.Ordinal));
        Assert.Single(lines, line => line.Contains("Scheduler started", StringComparison.Ordinal));
    }

    /// <summary>The first console line that matches, once the process has written it (the console logger writes on its own thread).</summary>
    private static async Task<string> LineAsync(BotProcess bot, Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var line = bot.Output.Split('\n').FirstOrDefault(match);
            if (line is not null) return line.TrimEnd('\r');
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No such line on the console:\n{bot.Output}");
            await Task.Delay(50);
        }
    }
}
