using System.Net;
using System.Text.Json.Nodes;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Weeks;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Help;

/// <summary>Replies read as plain, correct English, fitted to the caller's role and the place they typed in.</summary>
public sealed class WordingTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    [Fact]
    public async Task Submit_InPersonalChat_BySomeoneInNoTeam_SaysWhatToDo_NotThatAChannelIsUnlinked()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await ReplyAsync(host, host.Activities.Personal("submit", TestUser.Stranger));

        Assert.DoesNotContain("channel", reply, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("You're not in any value management team yet, so there is nothing to **submit** here. An improvement coach or an admin can add you to your team; then type **submit** again.", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("report Ward 7 (Respiratory)", "report")]
    [InlineData("boxscore Ward 7 (Respiratory)", "boxscore")]
    [InlineData("submit Ward 7 (Respiratory)", "submit")]
    public async Task ATeamFollowedByWordsThatAreNotAWeek_IsAnsweredOnce(string text, string command)
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await ReplyAsync(host, host.Activities.Personal(text, TestUser.CoachPatel));

        Assert.StartsWith("I read \"Ward 7\" as the team, and '(Respiratory)' is not a week: write it like 2026-W48 (year, W, two-digit week number). For example: **" + command + " Ward 7 ", reply, StringComparison.Ordinal);
        Assert.Single(reply.Split("(Respiratory)").Skip(1));
    }

    [Fact]
    public async Task Missing_WithAWeekThatIsNotOne_SaysSoOnce()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await ReplyAsync(host, host.Activities.Personal("missing soon", TestUser.CoachPatel));

        Assert.Equal("'soon' is not a week: write it like 2026-W48 (year, W, two-digit week number). For example: **missing 2026-W48**, or just **missing** for last week.", reply);
    }

    [Theory]
    [InlineData("status", "do that")]
    [InlineData("link ward 7", "do that")]
    [InlineData("manager add service medicine Sam Smith", "add or remove managers")]
    public async Task AdminCommands_RefusedToACoach_NameTheAdmins_InsteadOfSendingThemToTheirCoach(string text, string what)
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var coach = await ReplyAsync(host, host.Activities.Personal(text, TestUser.CoachPatel));
        var member = await ReplyAsync(host, host.Activities.Personal(text, TestUser.NurseJones));

        Assert.Equal($"Only a value management admin can {what}. Ask your admin: Ali Grant.", coach);
        Assert.Equal($"Only a value management admin can {what}. Ask your improvement coach who your admin is.", member);
    }

    [Fact]
    public async Task CountsAndNouns_AgreeInReplies()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        var lastWeek = TeamClock.Default.LastCompletedWeek(DateTimeOffset.UtcNow);
        TestOrganisation.StoreWard7Weeks(host, lastWeek, [3]);

        var coaches = await ReplyAsync(host, host.Activities.Personal("coach add ward 7 Sam Smith", TestUser.ManagerMoss));
        var missing = await ReplyAsync(host, host.Activities.Personal("missing", TestUser.CoachPatel));
        var status = await ReplyAsync(host, host.Activities.Personal("status", TestUser.AdminGrant));
        var schedule = await ReplyAsync(host, host.Activities.Personal("schedule ward 7", TestUser.CoachPatel));

        Assert.Equal("Only a value management admin can add coaches for Ward 7.", coaches);
        Assert.StartsWith("1 of your 2 teams has not entered its figures for last week:", missing, StringComparison.Ordinal);
        Assert.Contains("; 0 occurrences on record.", status, StringComparison.Ordinal);
        Assert.Contains(", reminded 30 minutes before", schedule, StringComparison.Ordinal);
    }

    /// <summary>The text of the bot's one reply to <paramref name="activity"/>: a message's text, or a card's fallback text.</summary>
    private static async Task<string> ReplyAsync(BotTestHost host, JsonObject activity)
    {
        using (var response = await host.SendAsync(activity)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var activityId = activity["id"]!.GetValue<string>();
        var call = Assert.Single(await host.Cloud.WaitForCallsAsync(1, c => c.ActivityId == activityId));
        return call.Body?["text"]?.GetValue<string>() ?? call.Card?["fallbackText"]?.GetValue<string>() ?? call.Body!.ToJsonString();
    }
}
