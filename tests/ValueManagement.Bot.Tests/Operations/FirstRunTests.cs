using System.Net;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Operations;

/// <summary>
/// A newcomer's first run: the bot in Development, started from a directory of its own (not the bot's project folder), with
/// the settings it ships with. The settings come from beside the program, the data file is under the current directory's
/// <c>data/</c>, the demo is loaded, and the Agents Playground's default user can act as a coach and as an admin.
/// </summary>
public sealed class FirstRunTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    /// <summary>The Agents Playground's default user (its built-in mock context, version 0.2.28).</summary>
    private static readonly TestUser PlaygroundUser = new("Alex Wilber", "00000000-0000-0000-0000-0000000000020");

    [Fact]
    public async Task Development_FromAnyDirectory_UsesItsSettingsAndDataUnderTheCurrentDirectory_AndThePlaygroundUserIsCoachAndAdmin()
    {
        environment.Cloud.Reset();
        var workingDirectory = Path.Combine(environment.Directory, "first-run-" + Guid.NewGuid().ToString("N"));
        await using var bot = await BotProcess.StartAsync(environment.Cloud, "data/valuemanagement.dev.db", workingDirectory, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Logging__LogLevel__Default"] = "Information",
        });

        var dataFile = Path.Combine(workingDirectory, "data", "valuemanagement.dev.db");
        Assert.True(File.Exists(dataFile), bot.Output);
        Assert.Contains($"Demo data loaded into {dataFile}: 6 teams", bot.Output, StringComparison.Ordinal);
        Assert.Contains($"Development: Alex Wilber ({PlaygroundUser.AadObjectId}, the Agents Playground's user in Demo:PlaygroundUser) is an admin and a coach of the 6 demo teams.", bot.Output, StringComparison.Ordinal);

        var missing = await ReplyAsync(bot, bot.Activities.Personal("missing", PlaygroundUser));
        Assert.Contains("Sleep service", missing, StringComparison.Ordinal);
        Assert.DoesNotContain("Inpatient respiratory", missing, StringComparison.Ordinal);

        var status = await ReplyAsync(bot, bot.Activities.Personal("status", PlaygroundUser));
        Assert.Contains("**Scheduler**", status, StringComparison.Ordinal);
    }

    private static async Task<string> ReplyAsync(BotProcess bot, System.Text.Json.Nodes.JsonObject activity)
    {
        using (var response = await bot.SendAsync(activity)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var activityId = activity["id"]!.GetValue<string>();
        var call = (await bot.Cloud.WaitForCallsAsync(1, c => c.ActivityId == activityId, TimeSpan.FromSeconds(30))).First();
        return call.Body!.ToJsonString();
    }
}
