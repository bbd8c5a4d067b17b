using ValueManagement.Features.Delivery;

namespace ValueManagement.Features.Tests.Delivery;

public sealed class RetryTests
{
    private static readonly string Quiet = DeliveryRig.Conversation(1);

    [Fact]
    public async Task Throttled_WithRetryAfter_WaitsThatLongThenSucceeds()
    {
        await using var rig = await DeliveryRig.StartAsync();
        rig.Connector.FailNext(429, "Throttled", TimeSpan.FromSeconds(3), r => r.ConversationId == Quiet);

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(1), CancellationToken.None));

        Assert.Equal((1, 1, 1), (result.Sent, result.Throttled, result.Retries));
        var attempts = rig.Connector.To(Quiet);
        Assert.Equal([429, 201], attempts.Select(a => a.Status));
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(3));
        var entry = rig.Ledger.FanOutEntries(DeliveryRig.Kind, DeliveryRig.Week).Single();
        Assert.Equal((DeliveryState.Sent, 2, 1), (entry.State, entry.Attempts, entry.Throttles));
        Assert.Equal(1, rig.Ledger.FanOut(DeliveryRig.Kind, DeliveryRig.Week)!.ThrottledAndRetried);
    }

    [Fact]
    public async Task Throttled_OnAConversationThatWasQuiet_PausesTheWholeTenant()
    {
        // Our own windows keep a conversation under its limits, so a 429 on a conversation that had
        // sent nothing for two seconds is the tenant's limit: nobody in the tenant sends until it passes.
        await using var rig = await DeliveryRig.StartAsync();
        rig.Connector.FailNext(429, "Throttled", TimeSpan.FromSeconds(2), r => r.ConversationId == DeliveryRig.Conversation(3));

        await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(10), CancellationToken.None));

        var throttledAt = rig.Connector.Requests.Single(r => r.Status == 429).At;
        Assert.DoesNotContain(rig.Connector.Requests, r => r.At > throttledAt && r.At < throttledAt + TimeSpan.FromSeconds(2));
        Assert.Equal(10, rig.Connector.Posted.Count);
    }

    [Fact]
    public async Task Throttled_OnABusyConversation_PausesOnlyThatConversation()
    {
        // Conversations take turns (round robin), so every conversation gets its second and third
        // messages while the others still have work.
        await using var rig = await DeliveryRig.StartAsync();
        var busy = DeliveryRig.Conversation(1);
        var items = Enumerable.Range(1, 10).SelectMany(c => Enumerable.Range(1, c == 1 ? 5 : 4).Select(i =>
            DeliveryRig.Item($"team-{c}", DeliveryRig.Conversation(c), destination: $"channel:{DeliveryRig.Conversation(c)}#{i}", text: $"message {i}")));
        var fanOut = new FanOut(DeliveryRig.Kind, DeliveryRig.Week, items.ToList());
        var arrivals = 0;
        rig.Connector.FailNext(429, "Throttled", TimeSpan.FromSeconds(2), r => r.ConversationId == busy && ++arrivals == 3);

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(fanOut, CancellationToken.None));

        Assert.Equal((41, 1), (result.Sent, result.Throttled));
        var throttledAt = rig.Connector.Requests.Single(r => r.Status == 429).At;
        Assert.Contains(rig.Connector.Requests, r => r.ConversationId != busy && r.At > throttledAt && r.At < throttledAt + TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(rig.Connector.To(busy), r => r.At > throttledAt && r.At < throttledAt + TimeSpan.FromSeconds(2));
        // Order within the conversation is kept through the retry.
        var texts = rig.Connector.To(busy).Where(r => r.Status == 201).Select(r => r.Json!["text"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"message {i}"), texts);
    }

    [Fact]
    public async Task Throttled_WithoutRetryAfter_BacksOff()
    {
        await using var rig = await DeliveryRig.StartAsync();
        rig.Connector.FailNext(429, "Throttled", retryAfter: null);
        rig.Connector.FailNext(429, "Throttled", retryAfter: null);

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(1), CancellationToken.None));

        Assert.Equal((1, 2), (result.Sent, result.Throttled));
        var at = rig.Connector.Requests.Select(r => r.At).ToList();
        Assert.Equal(3, at.Count);
        // BaseDelay 1 s, doubling, ±20%.
        Assert.InRange((at[1] - at[0]).TotalSeconds, 0.8, 1.2);
        Assert.InRange((at[2] - at[1]).TotalSeconds, 1.6, 2.4);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(502)]
    [InlineData(412)]
    public async Task TransientError_ThenSuccess_IsRetriedAfterABackOff(int status)
    {
        await using var rig = await DeliveryRig.StartAsync();
        rig.Connector.FailNext(status);

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(1), CancellationToken.None));

        Assert.Equal((1, 1, 0), (result.Sent, result.Retries, result.Throttled));
        var at = rig.Connector.Requests.Select(r => r.At).ToList();
        Assert.InRange((at[1] - at[0]).TotalSeconds, 0.8, 1.2);
    }

    [Fact]
    public async Task ServerError_Always_FailsWithTheReason_AndTheNextRunTriesAgain()
    {
        await using var rig = await DeliveryRig.StartAsync();
        rig.Connector.Rule = r => r.ConversationId == DeliveryRig.Conversation(2) ? new ConnectorAnswer(503, "ServiceUnavailable") : null;

        var first = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(3), CancellationToken.None));

        Assert.Equal((2, 1), (first.Sent, first.Failed));
        var failure = Assert.Single(first.Failures);
        Assert.Equal((DeliveryState.Failed, 503, "ServiceUnavailable"), (failure.State, failure.Status, failure.ErrorCode));
        Assert.Equal(4, rig.Connector.To(DeliveryRig.Conversation(2)).Count); // MaxAttempts
        var entry = rig.Ledger.Find(failure.Key)!;
        Assert.Equal((DeliveryState.Failed, 4, true), (entry.State, entry.Attempts, entry.Retryable));
        Assert.Contains("503", entry.Reason, StringComparison.Ordinal);
        var report = rig.Ledger.FanOut(DeliveryRig.Kind, DeliveryRig.Week)!;
        Assert.Equal((1, 1), (report.Failed, report.Retried));
        Assert.Equal("ServiceUnavailable", Assert.Single(report.FailureReasons).ErrorCode);

        rig.Connector.Rule = null;
        var second = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(3), CancellationToken.None));

        Assert.Equal((1, 2, 0), (second.Sent, second.AlreadySent, second.Failed));
        Assert.Equal(3, rig.Connector.Posted.Count);
        Assert.Equal(DeliveryState.Sent, rig.Ledger.Find(failure.Key)!.State);
    }

    [Fact]
    public async Task PermanentError_IsNotRetried()
    {
        await using var rig = await DeliveryRig.StartAsync();
        rig.Connector.FailNext(413, "MessageSizeTooBig");

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(1), CancellationToken.None));

        Assert.Equal(1, result.Failed);
        Assert.Single(rig.Connector.Requests);
        Assert.False(rig.Ledger.FanOutEntries(DeliveryRig.Kind, DeliveryRig.Week).Single().Retryable);
    }

    [Fact]
    public async Task ConversationNotFound_IsUnreachable_DeactivatesTheConversation_AndWaitsForAReinstall()
    {
        await using var rig = await DeliveryRig.StartAsync();
        var gone = DeliveryRig.Conversation(2);
        await rig.SeeConversationAsync(gone);
        rig.Connector.FailNext(404, "ConversationNotFound", matches: r => r.ConversationId == gone);

        var first = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(3), CancellationToken.None));

        Assert.Equal((2, 1), (first.Sent, first.Unreachable));
        Assert.Single(rig.Connector.To(gone));
        Assert.Equal("ConversationNotFound", Assert.Single(first.Failures).ErrorCode);
        Assert.False(rig.Conversations.Find(gone)!.Active);

        var second = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(3), CancellationToken.None));
        var resumed = await rig.RunAsync(rig.Sender.ResumeUnfinishedAsync(CancellationToken.None));

        Assert.Equal((0, 2, 1), (second.Sent, second.AlreadySent, second.Unreachable));
        Assert.Equal(0, resumed.Total);
        Assert.Single(rig.Connector.To(gone));

        // The bot is installed again (a user writes there): the next run delivers.
        rig.Time.Advance(TimeSpan.FromMinutes(5));
        await rig.SeeConversationAsync(gone);
        var third = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(3), CancellationToken.None));

        Assert.Equal(1, third.Sent);
        Assert.Equal(2, rig.Connector.To(gone).Count);
    }

    [Fact]
    public async Task InactiveConversation_IsNotSentTo()
    {
        await using var rig = await DeliveryRig.StartAsync();
        await rig.SeeConversationAsync(DeliveryRig.Conversation(1));
        rig.Conversations.Deactivate(DeliveryRig.Conversation(1), "the bot was removed");

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(2), CancellationToken.None));

        Assert.Equal((1, 1), (result.Sent, result.Unreachable));
        Assert.Empty(rig.Connector.To(DeliveryRig.Conversation(1)));
        Assert.Contains("the bot was removed", Assert.Single(result.Failures).Reason, StringComparison.Ordinal);
    }
}
