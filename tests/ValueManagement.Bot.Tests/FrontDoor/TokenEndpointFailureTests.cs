using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Delivery;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Schema;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.FrontDoor;

/// <summary>
/// The bot's own token endpoint failing (an expired client secret, Entra answering 500): Teams is told
/// to retry, the retry is processed rather than dropped as a duplicate, and the log says what to fix.
/// </summary>
public sealed class TokenEndpointFailureTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    public static TheoryData<string> Failures => new() { "expired-secret", "server-error" };

    private static TokenEndpointFailure Failure(string name) =>
        name == "expired-secret" ? TokenEndpointFailure.ExpiredSecret : TokenEndpointFailure.ServerError;

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task TokenEndpointFailing_Answers503WithRetryAfter_AndTeamsRetryIsProcessedOnceItRecovers(string failure)
    {
        var logs = new CapturedLogs();
        await using var host = environment.StartHost(configureServices: services => services.AddSingleton<ILoggerProvider>(logs));
        host.Cloud.TokenFailure = Failure(failure);
        var activity = host.Activities.Personal("help");

        using (var first = await host.SendAsync(activity))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
            Assert.NotNull(first.Headers.RetryAfter);
            var body = await first.Content.ReadAsStringAsync();
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        }
        Assert.Empty(host.Cloud.Calls);

        var advice = Assert.Single(logs.AtLeast(LogLevel.Error), line => line.StartsWith("Answered 503", StringComparison.Ordinal));
        if (failure == "expired-secret")
            Assert.Contains("client secret is wrong or has expired (AADSTS7000215): renew MicrosoftAppPassword", advice, StringComparison.Ordinal);
        else
            Assert.Contains("answered 500 (Microsoft Entra is unavailable)", advice, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(BotTestHost.AppPassword, StringComparison.Ordinal));

        host.Cloud.TokenFailure = null;
        using (var retry = await host.SendAsync(activity))
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);

        var reply = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.Equal(activity["id"]!.GetValue<string>(), reply.ActivityId);
    }

    [Fact]
    public async Task TokenEndpointFailing_ForAProactiveSend_IsATransientFailureOfTheDelivery_SentOnTheNextRun()
    {
        await using var host = environment.StartHost(new Dictionary<string, string?>
        {
            ["Bot:Delivery:MaxAttempts"] = "2",
            ["Bot:Delivery:BaseDelay"] = "00:00:00.020",
            ["Bot:Delivery:MaxDelay"] = "00:00:00.050",
        });
        host.Cloud.TokenFailure = TokenEndpointFailure.ExpiredSecret;
        var sender = host.Services.GetRequiredService<ProactiveSender>();
        var ledger = host.Services.GetRequiredService<DeliveryLedger>();
        var key = new DeliveryKey("prompt", "ward-7", "2026-W48", "channel:" + TestActivities.ChannelThreadId);
        FanOut Prompt() => new("prompt", "2026-W48",
            [new DeliveryItem(key, new ConversationTarget(host.Cloud.ServiceUrl, TestActivities.ChannelThreadId), TestActivities.TenantId, Activity.Message("Monday prompt"))]);

        var failed = await sender.FanOutAsync(Prompt(), CancellationToken.None);

        Assert.Equal((1, 0), (failed.Failed, failed.Sent));
        var entry = ledger.Find(key)!;
        Assert.Equal((DeliveryState.Failed, true), (entry.State, entry.Retryable));
        Assert.Contains("AADSTS7000215", entry.Reason, StringComparison.Ordinal);
        Assert.Empty(host.Cloud.Calls);

        host.Cloud.TokenFailure = null;
        var again = await sender.FanOutAsync(Prompt(), CancellationToken.None);

        Assert.Equal(1, again.Sent);
        Assert.Equal(1, host.Cloud.PostedMessageCounts[TestActivities.ChannelThreadId]);
    }
}
