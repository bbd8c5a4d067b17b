using ValueManagement.Features.Delivery;

namespace ValueManagement.Features.Tests.Delivery;

public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task Crash_MidSend_NextProcessResendsInFlightOnce_AndCountsItAsPossiblyDuplicated()
    {
        var settings = new Dictionary<string, string?> { ["Bot:Delivery:MaxConcurrentSends"] = "1" };
        var hung = DeliveryRig.Conversation(3);
        var arrived = new TaskCompletionSource<DeliveryState>(TaskCreationOptions.RunContinuationsAsynchronously);
        string databasePath;

        var before = await DeliveryRig.StartAsync(settings);
        await using (before)
        {
            databasePath = before.DatabasePath;
            var ledger = before.Ledger;
            before.Connector.OnArrival = async (request, token) =>
            {
                if (request.ConversationId != hung) return;
                // The ledger must say "in flight" before Teams sees the message.
                var key = new DeliveryKey(DeliveryRig.Kind, "team-3", DeliveryRig.Week, "channel:" + hung);
                arrived.TrySetResult(ledger.Find(key)!.State);
                await Task.Delay(Timeout.Infinite, token);
            };
            var run = before.Sender.FanOutAsync(DeliveryRig.FanOutTo(5), CancellationToken.None);
            while (!arrived.Task.IsCompleted)
            {
                var idle = before.Sender.WhenIdleAsync();
                if (await Task.WhenAny(idle, arrived.Task, Task.Delay(TimeSpan.FromSeconds(10))) == idle)
                    before.Time.Advance((await idle)!.Value - before.Time.GetUtcNow());
                else if (!arrived.Task.IsCompleted)
                    throw new TimeoutException("The third message never went out.");
            }

            Assert.Equal(DeliveryState.InFlight, await arrived.Task);
            Assert.False(run.IsCompleted);
            await before.CrashAsync();
        }

        await using var after = await DeliveryRig.StartAsync(settings, databasePath);
        var crashed = after.Ledger.FanOut(DeliveryRig.Kind, DeliveryRig.Week)!;
        Assert.Equal((2, 1, 2), (crashed.Sent, crashed.InFlight, crashed.Pending));

        var resumed = await after.RunAsync(after.Sender.ResumeUnfinishedAsync(CancellationToken.None));

        Assert.Equal((3, 3, 1, 1), (resumed.Total, resumed.Sent, resumed.InFlightAtCrash, resumed.PossiblyDuplicated));
        Assert.Equal([DeliveryRig.Conversation(3), DeliveryRig.Conversation(4), DeliveryRig.Conversation(5)],
            after.Connector.Posted.Select(p => p.ConversationId).Order(StringComparer.Ordinal));
        var report = after.Ledger.FanOut(DeliveryRig.Kind, DeliveryRig.Week)!;
        Assert.Equal((5, 0, 0, 1, 1), (report.Sent, report.InFlight, report.Pending, report.InFlightAtCrash, report.PossiblyDuplicated));
        Assert.True(after.Ledger.Team("team-3").Entries.Single().PossiblyDuplicated);
        Assert.False(after.Ledger.Team("team-4").Entries.Single().PossiblyDuplicated);

        // And a re-run of the job afterwards sends nothing.
        var rerun = await after.RunAsync(after.Sender.FanOutAsync(DeliveryRig.FanOutTo(5), CancellationToken.None));
        Assert.Equal(5, rerun.AlreadySent);
        Assert.Equal(3, after.Connector.Posted.Count);
    }

    [Fact]
    public async Task Start_WithResumeOnStart_FinishesWhatTheLastProcessLeftPending()
    {
        string databasePath;
        await using (var before = await DeliveryRig.StartAsync(new Dictionary<string, string?> { ["Bot:Delivery:TenantMessagesPerSecond"] = "2" }))
        {
            databasePath = before.DatabasePath;
            var run = before.Sender.FanOutAsync(DeliveryRig.FanOutTo(6), CancellationToken.None);
            await before.Sender.WhenIdleAsync();
            await before.StopAsync(); // a clean shutdown withdraws the queue; the ledger keeps it pending
            var stopped = await run;
            Assert.Equal((1, 5), (stopped.Sent, stopped.Cancelled));
        }

        await using var after = await DeliveryRig.StartAsync(new Dictionary<string, string?> { ["Bot:Delivery:ResumeOnStart"] = "true" }, databasePath);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (after.Ledger.FanOut(DeliveryRig.Kind, DeliveryRig.Week)!.Sent < 6)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The resume at start did not finish.");
            var idle = await after.Sender.WhenIdleAsync();
            if (idle is { } at) after.Time.Advance(at - after.Time.GetUtcNow());
            else await Task.Delay(10);
        }

        Assert.Equal(5, after.Connector.Posted.Count);
        Assert.Equal(0, after.Ledger.FanOut(DeliveryRig.Kind, DeliveryRig.Week)!.PossiblyDuplicated);
    }

    [Fact]
    public async Task Resume_LeavesEntriesOlderThanTheWindowForTheReport()
    {
        string databasePath;
        await using (var before = await DeliveryRig.StartAsync(new Dictionary<string, string?> { ["Bot:Delivery:TenantMessagesPerSecond"] = "1" }))
        {
            databasePath = before.DatabasePath;
            var run = before.Sender.FanOutAsync(DeliveryRig.FanOutTo(3), CancellationToken.None);
            await before.Sender.WhenIdleAsync();
            await before.StopAsync();
            await run;
        }

        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        await using var after = await DeliveryRig.StartAsync(databasePath: databasePath, time: time);
        var resumed = await after.RunAsync(after.Sender.ResumeUnfinishedAsync(CancellationToken.None));

        Assert.Equal(0, resumed.Total);
        Assert.Empty(after.Connector.Requests);
        Assert.Equal(2, after.Ledger.FanOut(DeliveryRig.Kind, DeliveryRig.Week)!.Pending);
    }
}
