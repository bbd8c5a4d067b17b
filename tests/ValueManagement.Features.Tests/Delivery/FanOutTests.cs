using ValueManagement.Features.Delivery;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Tests.Delivery;

public sealed class FanOutTests
{
    [Fact]
    public async Task FanOut_ToManyConversations_SendsEachExactlyOnce()
    {
        await using var rig = await DeliveryRig.StartAsync();

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(25), CancellationToken.None));

        Assert.Equal(25, result.Total);
        Assert.Equal(25, result.Sent);
        Assert.Equal(0, result.Failed + result.Unreachable + result.AlreadySent + result.Throttled);
        var posted = rig.Connector.Posted;
        Assert.Equal(25, posted.Count);
        Assert.Equal(25, posted.Select(p => p.ConversationId).Distinct().Count());
        var entries = rig.Ledger.FanOutEntries(DeliveryRig.Kind, DeliveryRig.Week);
        Assert.All(entries, e =>
        {
            Assert.Equal(DeliveryState.Sent, e.State);
            Assert.StartsWith("msg-", e.ActivityId, StringComparison.Ordinal);
            Assert.Equal(e.ConversationId, e.SentConversationId);
            Assert.Equal(1, e.Attempts);
        });
    }

    [Fact]
    public async Task FanOut_RunAgain_SendsNothingAndRendersNothing()
    {
        await using var rig = await DeliveryRig.StartAsync();
        var renders = 0;
        await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(10, rendered: () => renders++), CancellationToken.None));

        var again = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(10, rendered: () => renders++), CancellationToken.None));

        Assert.Equal(10, again.AlreadySent);
        Assert.Equal(0, again.Sent);
        Assert.Equal(10, rig.Connector.Requests.Count);
        Assert.Equal(10, renders);
        Assert.Equal(2, rig.Ledger.FanOut(DeliveryRig.Kind, DeliveryRig.Week)!.Runs);
    }

    [Fact]
    public async Task FanOut_TwoRunsAtOnce_JoinRatherThanSendTwice()
    {
        await using var rig = await DeliveryRig.StartAsync();

        var first = rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(12), CancellationToken.None);
        var second = rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(12), CancellationToken.None);
        var results = await rig.RunAsync(Task.WhenAll(first, second));

        Assert.Equal(12, rig.Connector.Posted.Count);
        Assert.All(results, r => Assert.Equal(12, r.Sent + r.AlreadySent));
    }

    [Fact]
    public async Task FanOut_WhenTheSenderIsNotRunning_Throws()
    {
        await using var rig = await DeliveryRig.StartAsync();
        await rig.StopAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(1), CancellationToken.None));
    }

    [Fact]
    public async Task FanOut_KeyOfAnotherWeek_IsRefused()
    {
        await using var rig = await DeliveryRig.StartAsync();
        var fanOut = new FanOut(DeliveryRig.Kind, DeliveryRig.Week, [DeliveryRig.Item("team-1", DeliveryRig.Conversation(1), week: "2026-W49")]);

        await Assert.ThrowsAsync<ArgumentException>(() => rig.Sender.FanOutAsync(fanOut, CancellationToken.None));
        Assert.Empty(rig.Connector.Requests);
    }

    [Fact]
    public async Task FanOut_OneMessageCannotBeRendered_FailsThatOneAndSendsTheRest()
    {
        await using var rig = await DeliveryRig.StartAsync();
        var broken = DeliveryRig.Item("team-3", DeliveryRig.Conversation(3)) with { CreateActivity = () => throw new InvalidOperationException("no template") };
        var fanOut = new FanOut(DeliveryRig.Kind, DeliveryRig.Week, [DeliveryRig.Item("team-1", DeliveryRig.Conversation(1)), broken, DeliveryRig.Item("team-2", DeliveryRig.Conversation(2))]);

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(fanOut, CancellationToken.None));

        Assert.Equal(2, result.Sent);
        var failure = Assert.Single(result.Failures);
        Assert.Equal(broken.Key.ToString(), failure.Key);
        Assert.Contains("no template", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(DeliveryState.Failed, rig.Ledger.Find(broken.Key)!.State);
    }

    [Fact]
    public async Task FanOut_Cancelled_WithdrawsWhatIsQueued_AndTheNextRunSendsIt()
    {
        await using var rig = await DeliveryRig.StartAsync(new Dictionary<string, string?> { ["Bot:Delivery:TenantMessagesPerSecond"] = "5" });
        using var cancel = new CancellationTokenSource();
        var run = rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(20), cancel.Token);
        await rig.Sender.WhenIdleAsync(); // the first messages have gone; the rest wait for the pace
        var sentBeforeCancel = rig.Connector.Posted.Count;

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.InRange(sentBeforeCancel, 1, 19);
        Assert.Equal(sentBeforeCancel, rig.Connector.Posted.Count);
        var status = rig.Ledger.FanOut(DeliveryRig.Kind, DeliveryRig.Week)!;
        Assert.Equal(20 - sentBeforeCancel, status.Pending);
        Assert.Equal(0, rig.Sender.Queued);

        var rerun = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(20), CancellationToken.None));
        Assert.Equal(20 - sentBeforeCancel, rerun.Sent);
        Assert.Equal(20, rig.Connector.Posted.Select(p => p.ConversationId).Distinct().Count());
        Assert.Equal(20, rig.Connector.Posted.Count);
    }

    [Fact]
    public async Task Update_OfASentMessage_PutsTheReplacementToTheStoredActivityId()
    {
        await using var rig = await DeliveryRig.StartAsync();
        await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(3), CancellationToken.None));
        var key = new DeliveryKey(DeliveryRig.Kind, "team-2", DeliveryRig.Week, "channel:" + DeliveryRig.Conversation(2));
        var sent = rig.Ledger.Find(key)!;

        var result = await rig.RunAsync(rig.Sender.UpdateAsync(key, Activity.Message("Submitted: read-only summary"), CancellationToken.None));

        Assert.Equal(UpdateOutcome.Updated, result.Outcome);
        var put = Assert.Single(rig.Connector.Requests, r => r.Method == "PUT");
        Assert.Equal(DeliveryRig.Conversation(2), put.ConversationId);
        Assert.Equal(sent.ActivityId, put.ActivityId);
        Assert.Equal("Submitted: read-only summary", put.Json!["text"]!.GetValue<string>());
        var updated = rig.Ledger.Find(key)!;
        Assert.Equal(1, updated.Updates);
        Assert.Equal(DeliveryState.Sent, updated.State);
    }

    [Fact]
    public async Task Update_OfAMessageNotYetPosted_ReplacesWhatTheNextRunPosts()
    {
        await using var rig = await DeliveryRig.StartAsync();
        rig.Connector.Rule = r => r.ConversationId == DeliveryRig.Conversation(2) ? new ConnectorAnswer(400, "BadArgument") : null;
        await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(2), CancellationToken.None));
        var key = new DeliveryKey(DeliveryRig.Kind, "team-2", DeliveryRig.Week, "channel:" + DeliveryRig.Conversation(2));
        Assert.Equal(DeliveryState.Failed, rig.Ledger.Find(key)!.State);

        var result = await rig.RunAsync(rig.Sender.UpdateAsync(key, Activity.Message("Closed: summary"), CancellationToken.None));
        rig.Connector.Rule = null;
        var rerun = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(2), CancellationToken.None));

        Assert.Equal(UpdateOutcome.PayloadReplaced, result.Outcome);
        Assert.Equal(1, rerun.Sent);
        var posted = rig.Connector.Posted.Single(p => p.ConversationId == DeliveryRig.Conversation(2));
        Assert.Equal("Closed: summary", posted.Json!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_UnknownKey_IsNotFound()
    {
        await using var rig = await DeliveryRig.StartAsync();

        var result = await rig.Sender.UpdateAsync(new DeliveryKey("prompt", "nobody", "2026-W01", "channel:x"), Activity.Message("x"), CancellationToken.None);

        Assert.Equal(UpdateOutcome.NotFound, result.Outcome);
        Assert.Empty(rig.Connector.Requests);
    }

    [Fact]
    public async Task Report_ShowsRecentFanOutsAndPerTeamStatus()
    {
        await using var rig = await DeliveryRig.StartAsync();
        rig.Connector.Rule = r => r.ConversationId == DeliveryRig.Conversation(3) ? new ConnectorAnswer(403, "NotEnoughPermissions") : null;
        await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(4), CancellationToken.None));
        rig.Time.Advance(TimeSpan.FromDays(3));
        await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(2, kind: "reminder"), CancellationToken.None));

        var recent = rig.Ledger.RecentFanOuts();
        var prompts = rig.Ledger.RecentFanOuts(kind: "prompt");
        var team3 = rig.Ledger.Team("team-3");

        Assert.Equal(["reminder", "prompt"], recent.Select(f => f.Kind));
        var prompt = Assert.Single(prompts);
        Assert.Equal((4, 3, 1, 0), (prompt.Total, prompt.Sent, prompt.Failed, prompt.Pending));
        var reason = Assert.Single(prompt.FailureReasons);
        Assert.Equal((403, "NotEnoughPermissions", 1), (reason.Status, reason.ErrorCode, reason.Count));
        var entry = Assert.Single(team3.Entries);
        Assert.Equal(DeliveryState.Failed, entry.State);
        Assert.Equal(1, team3.Failed);
        Assert.Equal(2, rig.Ledger.Team("team-1").Sent);
    }
}
