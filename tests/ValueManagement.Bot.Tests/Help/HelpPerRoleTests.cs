using System.Text.Json.Nodes;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Help;

/// <summary>Help lists the commands the caller may use, in this kind of conversation.</summary>
public sealed class HelpPerRoleTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    /// <summary>The command words on the help card (the titles of its fact set).</summary>
    private static List<string> CommandWords(JsonNode card) =>
        card["body"]!.AsArray().Where(e => e?["type"]?.GetValue<string>() == "FactSet")
            .SelectMany(e => e!["facts"]!.AsArray().Select(f => f!["title"]!.GetValue<string>()))
            .ToList();

    private static async Task<List<string>> HelpForAsync(BotTestHost host, TestUser user, string context = "personal")
    {
        host.Cloud.ClearCalls();
        var activity = context == "channel" ? host.Activities.Channel("help", user) : host.Activities.Personal("help", user);
        using var response = await host.SendAsync(activity);
        response.EnsureSuccessStatusCode();
        return CommandWords(Assert.Single(await host.Cloud.WaitForCallsAsync(1)).Card!);
    }

    [Fact]
    public async Task Stranger_SeesOnlyWhatAnyoneCanDo()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var words = await HelpForAsync(host, TestUser.Stranger);

        Assert.Equal(["help", "teams"], words);
    }

    [Fact]
    public async Task DataLead_SeesTeamCommands_NotCoachOrAdminOnes()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var words = await HelpForAsync(host, TestUser.NurseJones);

        Assert.Contains("submit", words);
        Assert.Contains("boxscore", words);
        Assert.Contains("roles", words);
        Assert.DoesNotContain("member", words);
        Assert.DoesNotContain("coach", words);
        Assert.DoesNotContain("manager", words);
        Assert.DoesNotContain("rollup", words);
    }

    [Fact]
    public async Task Coach_SeesMemberAndDataLead_NotAdminCommands()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var words = await HelpForAsync(host, TestUser.CoachPatel);

        Assert.Contains("member", words);
        Assert.Contains("datalead", words);
        Assert.DoesNotContain("coach", words);
        Assert.DoesNotContain("manager", words);
    }

    [Fact]
    public async Task Manager_SeesRollup()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var words = await HelpForAsync(host, TestUser.ManagerMoss);

        Assert.Contains("rollup", words);
        Assert.DoesNotContain("member", words);
    }

    [Fact]
    public async Task Admin_SeesEveryCommandForTheContext_LinkOnlyInAChannel()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var personal = await HelpForAsync(host, TestUser.AdminGrant);
        var channel = await HelpForAsync(host, TestUser.AdminGrant, "channel");

        Assert.Contains("manager", personal);
        Assert.Contains("coach", personal);
        Assert.DoesNotContain("link", personal);
        Assert.Contains("link", channel);
    }
}
