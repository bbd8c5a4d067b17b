using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Commands;

/// <summary>Punctuation typed after a command word, and "did you mean" for a command word with a typo.</summary>
public sealed class CommandWordTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private static async Task<ConnectorCall> SayAsync(BotTestHost host, string text, TestUser from)
    {
        host.Cloud.ClearCalls();
        await host.SendAsync(host.Activities.Personal(text, from));
        return Assert.Single(await host.Cloud.WaitForCallsAsync(1));
    }

    private static string All(ConnectorCall call) => call.Body?.ToJsonString() ?? string.Empty;

    [Theory]
    [InlineData("Help!")]
    [InlineData("help?")]
    [InlineData("/help.")]
    public async Task HelpWithPunctuation_IsHelp(string text)
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await SayAsync(host, text, TestUser.NurseJones);

        Assert.NotNull(reply.Card);
        Assert.DoesNotContain("know the command", All(reply), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing?", "have not entered")]
    [InlineData("teams.", "Ward 7")]
    [InlineData("roles, ward 7", "Roles for Ward 7")]
    public async Task OtherCommandsWithPunctuation_RunTheCommand(string text, string expected)
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await SayAsync(host, text, TestUser.CoachPatel);

        Assert.DoesNotContain("know the command", All(reply), StringComparison.Ordinal);
        Assert.Contains(expected, All(reply), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("repot ward 7", "report ward 7")]
    [InlineData("bxoscore", "boxscore")]
    [InlineData("Teasm?", "teams")]
    [InlineData("/shcedule ward 8", "schedule ward 8")]
    public async Task ACommandWordWithATypo_GetsDidYouMean_WithTheHelpCard(string text, string suggested)
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await SayAsync(host, text, TestUser.CoachPatel);

        var all = All(reply);
        Assert.NotNull(reply.Card);
        Assert.Contains("Did you mean ", all, StringComparison.Ordinal);
        Assert.Contains($"\"text\":\"{suggested}\"", all, StringComparison.Ordinal);
        Assert.True(all.IndexOf("Did you mean", StringComparison.Ordinal) < all.IndexOf("\"FactSet\"", StringComparison.Ordinal), "the suggestion comes before the list of commands");
    }

    [Theory]
    [InlineData("xyzzy")]
    [InlineData("hello there")]
    public async Task SomethingLikeNoCommand_GetsTheHelpCardWithoutAGuess(string text)
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await SayAsync(host, text, TestUser.CoachPatel);

        Assert.Contains("know the command", All(reply), StringComparison.Ordinal);
        Assert.DoesNotContain("Did you mean", All(reply), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommandTheCallerIsNotOfferedIsNotSuggested()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        // "statsu" is one swap from the admins' "status"; a data lead's help card has no status.
        var reply = await SayAsync(host, "statsu", TestUser.NurseJones);
        Assert.DoesNotContain("Did you mean", All(reply), StringComparison.Ordinal);

        var admin = await SayAsync(host, "statsu", TestUser.AdminGrant);
        Assert.Contains("\"text\":\"status\"", All(admin), StringComparison.Ordinal);
    }
}
