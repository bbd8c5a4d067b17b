using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Delivery;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.FrontDoor;

/// <summary>
/// Only Teams' channel is served, and a turn's replies stay inside the time Teams waits for the
/// answer: a longer wait (a long Retry-After, a Connector that never answers) goes to the delivery
/// queue, which sends the reply afterwards, once. The budget runs on the host's (fake) clock.
/// </summary>
public sealed class ChannelAndTurnBudgetTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private static readonly Lazy<TestSigningKey> WebChatKey = new(() => new TestSigningKey("test-key-webchat", "msteams", "webchat"));

    // A safety net against a turn that waits forever (on the fake clock), never a measure of speed.
    private static readonly TimeSpan Hung = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WebChatActivity_WithAValidTokenAndTrustedHost_IsRefused403_AndLogged_WhileTeamsIsServed()
    {
        var logs = new CapturedLogs();
        await using var host = environment.StartHost(configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        host.Cloud.ExtraPublishedKeys.Add(WebChatKey.Value);
        var token = "Bearer " + TestTokens.Create(WebChatKey.Value, new TestTokenSpec { Audience = BotTestHost.AppId, ServiceUrl = host.Cloud.ServiceUrl });

        var webChat = host.Activities.Personal("help");
        webChat["channelId"] = "webchat";
        using (var refused = await host.SendAsync(webChat, token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("Microsoft Teams only", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Contains(logs.AtLeast(LogLevel.Warning), line => line.Contains("channel webchat", StringComparison.Ordinal) && line.Contains("Bot:AllowedChannels", StringComparison.Ordinal));

        using (var served = await host.SendAsync(host.Activities.Personal("help"), token))
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var reply = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.Equal(TestActivities.PersonalConversationId(TestUser.NurseJones), reply.ConversationId);
    }

    [Fact]
    public async Task ReplyThrottledWithRetryAfter60_TurnAnswersWithoutWaiting_ReplyDeliveredOnceThroughTheQueue()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        await using var host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(time));
        host.Cloud.FailNext(new ScriptedFailure(429, "Throttled", TimeSpan.FromSeconds(60)));
        var activity = host.Activities.Personal("help");

        var turn = host.SendAsync(activity);
        Assert.Same(turn, await Task.WhenAny(turn, Task.Delay(Hung)));
        using (var answer = await turn)
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        var entry = await AssertDeliveredOnceThroughTheQueueAsync(host, activity["id"]!.GetValue<string>());
        Assert.False(entry.PossiblyDuplicated);
    }

    [Fact]
    public async Task ConnectorNeverAnswersTheReply_TurnGivesUpAtItsBudget_ReplyDeliveredOnceThroughTheQueue()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        await using var host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(time));
        host.Cloud.FailNext(new ScriptedFailure(0, Hang: true));
        var activity = host.Activities.Personal("help");

        var turn = host.SendAsync(activity);
        await host.Cloud.WaitForCallsAsync(1, c => c.Path.EndsWith("-> no answer", StringComparison.Ordinal));
        Assert.False(turn.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(10)); // Bot:TurnReplyBudget's default

        Assert.Same(turn, await Task.WhenAny(turn, Task.Delay(Hung)));
        using (var answer = await turn)
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        // Teams may have taken the call that got no answer: the ledger says the reply may show twice.
        var entry = await AssertDeliveredOnceThroughTheQueueAsync(host, activity["id"]!.GetValue<string>());
        Assert.True(entry.PossiblyDuplicated);
    }

    private static async Task<DeliveryEntry> AssertDeliveredOnceThroughTheQueueAsync(BotTestHost host, string activityId)
    {
        var conversation = TestActivities.PersonalConversationId(TestUser.NurseJones);
        var ledger = host.Services.GetRequiredService<DeliveryLedger>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        DeliveryEntry? entry = null;
        while (DateTime.UtcNow < deadline)
        {
            entry = ledger.Team("turn", "reply").Entries.SingleOrDefault(e => e.Id.EndsWith($"{conversation}#{activityId}#1", StringComparison.Ordinal));
            if (entry?.State == DeliveryState.Sent) break;
            await Task.Delay(20);
        }
        Assert.Equal(DeliveryState.Sent, entry?.State);

        var sent = Assert.Single(host.Cloud.Calls, c => c.Method == "POST" && !c.Path.Contains("->", StringComparison.Ordinal));
        Assert.Equal(conversation, sent.ConversationId);
        Assert.Null(sent.ActivityId); // posted to the conversation by the queue, not as the turn's own reply call
        Assert.Equal(activityId, sent.Body?["replyToId"]?.GetValue<string>());
        Assert.Equal(1, host.Cloud.PostedMessageCounts[conversation]);
        return entry!;
    }
}
