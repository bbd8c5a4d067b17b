using System.Net;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Help;

namespace ValueManagement.Bot.Tests.Protocol;

public sealed class CardActionRoutingTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private readonly BotTestEnvironment _environment = environment;

    [Fact]
    public async Task Invoke_KnownVerb_AnswersWithACardInTheHttpBody()
    {
        await using var host = _environment.StartHost();
        var body = await host.InvokeAsync(host.Activities.Invoke(WelcomeActions.ShowHelpVerb, new { }));

        Assert.NotNull(body);
        Assert.Equal(200, body!["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.Equal("AdaptiveCard", body["value"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("noSuchVerb")]
    [InlineData("")]
    public async Task Invoke_UnknownOrStaleVerb_SaysTheCardIsOutOfDate(string verb)
    {
        await using var host = _environment.StartHost();
        var body = await host.InvokeAsync(host.Activities.Invoke(verb, new { teamId = "x" }));

        Assert.Equal(200, body!["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.activity.message", body["type"]!.GetValue<string>());
        Assert.Contains("out of date", body["value"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_FallbackPath_ReachesTheSameHandler_AndUpdatesTheCardInPlace()
    {
        await using var host = _environment.StartHost();
        var submit = host.Activities.Submit(new Dictionary<string, string> { ["verb"] = WelcomeActions.ShowHelpVerb }, replyToId: "card-message-1");

        using var response = await host.SendAsync(submit);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.Equal("PUT", call.Method);
        Assert.Equal("card-message-1", call.ActivityId);
        Assert.Equal("AdaptiveCard", call.Card?["type"]?.GetValue<string>());
    }

    [Fact]
    public async Task Invoke_RepeatedActivity_ReturnsTheSameAnswerWithoutRunningTwice()
    {
        await using var host = _environment.StartHost();
        var invoke = host.Activities.Invoke(WelcomeActions.ShowHelpVerb, new { });

        var first = await host.InvokeAsync(invoke);
        var second = await host.InvokeAsync(invoke);

        Assert.Equal(first!.ToJsonString(), second!.ToJsonString());
    }
}
