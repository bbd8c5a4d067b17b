using System.Net;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Help;

public sealed class HelpTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private readonly BotTestEnvironment _environment = environment;

    public static TheoryData<string> Contexts => ["channel", "groupChat", "personal"];

    [Theory]
    [MemberData(nameof(Contexts))]
    public async Task Help_InEveryContext_RepliesWithTheHelpCard(string context)
    {
        await using var host = _environment.StartHost();
        var activity = context switch
        {
            "channel" => host.Activities.Channel("help"),
            "groupChat" => host.Activities.GroupChat("/help"),
            _ => host.Activities.Personal("Help"),
        };

        using var response = await host.SendAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(await host.Cloud.WaitForCallsAsync(1, c => c.ConversationId == activity["conversation"]!["id"]!.GetValue<string>()));
        Assert.Equal("POST", call.Method);
        Assert.Equal(activity["id"]!.GetValue<string>(), call.ActivityId);
        Assert.Equal("Bearer " + FakeBotFrameworkCloud.ConnectorAccessToken, call.Authorization);
        Assert.Equal("AdaptiveCard", call.Card?["type"]?.GetValue<string>());
        Assert.Contains("help", call.Card!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownText_RepliesWithHelpNamingTheUnknownCommand()
    {
        await using var host = _environment.StartHost();
        var activity = host.Activities.Personal("frobnicate ward 7");

        using var response = await host.SendAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(await host.Cloud.WaitForCallsAsync(1, c => c.ConversationId == activity["conversation"]!["id"]!.GetValue<string>()));
        Assert.Contains("frobnicate", call.Card!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChannelMessage_MentionStrippedByEntity_NotByName()
    {
        await using var host = _environment.StartHost();
        var activity = host.Activities.Channel("help");
        // Teams may render the mention with the bot's display name changed; only the entity counts.
        activity["text"] = "<at>VM Bot (renamed)</at>&nbsp;help";
        activity["entities"]![0]!["text"] = "<at>VM Bot (renamed)</at>";

        using var response = await host.SendAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.DoesNotContain("don't know the command", call.Card!.ToJsonString(), StringComparison.Ordinal);
    }
}
