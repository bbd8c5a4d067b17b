using System.Net.Http;
using ValueManagement.Features.Delivery;

namespace ValueManagement.Features.Tests.Delivery;

/// <summary>
/// The Connector failing below HTTP: refused or reset connections, answers lost after Teams took the
/// message, slow answers. Nothing is dropped silently; a message that may have reached Teams is sent
/// again only once and reported as possibly duplicated, and one that surely did not is not.
/// </summary>
public sealed class ConnectorFaultTests
{
    [Fact]
    public async Task ConnectionRefused_BeforeTheRequestWentOut_IsRetried_AndNotCountedAsPossiblyDuplicated()
    {
        await using var rig = await DeliveryRig.StartAsync();
        var failures = 1;
        rig.Connector.OnArrival = (_, _) => Interlocked.Decrement(ref failures) >= 0
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:443)")
            : Task.CompletedTask;

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(1), CancellationToken.None));

        Assert.Equal((1, 1, 0, 0), (result.Sent, result.Retries, result.Failed, result.PossiblyDuplicated));
        Assert.Single(rig.Connector.Posted);
        Assert.False(rig.Ledger.Team("team-1").Entries.Single().PossiblyDuplicated);
    }

    [Fact]
    public async Task AnswerLost_AfterTeamsTookTheMessage_IsSentAgainOnce_AndReportedAsPossiblyDuplicated()
    {
        await using var rig = await DeliveryRig.StartAsync();
        var failures = 1;
        rig.Connector.OnArrival = (_, _) => Interlocked.Decrement(ref failures) >= 0
            ? throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.")
            : Task.CompletedTask;

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(3), CancellationToken.None));

        Assert.Equal((3, 1, 0, 1), (result.Sent, result.Retries, result.Failed, result.PossiblyDuplicated));
        Assert.Equal(1, rig.Ledger.FanOut(DeliveryRig.Kind, DeliveryRig.Week)!.PossiblyDuplicated);
        Assert.Equal(1, rig.Ledger.Team("team-1").Entries.Count(e => e.PossiblyDuplicated)
            + rig.Ledger.Team("team-2").Entries.Count(e => e.PossiblyDuplicated)
            + rig.Ledger.Team("team-3").Entries.Count(e => e.PossiblyDuplicated));

        var rerun = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(3), CancellationToken.None));
        Assert.Equal((0, 3), (rerun.Sent, rerun.AlreadySent));
    }

    [Fact]
    public async Task ConnectionAlwaysReset_FailsWithTheReason_AfterTheConfiguredAttempts_AndTheNextRunTriesAgain()
    {
        await using var rig = await DeliveryRig.StartAsync();
        rig.Connector.OnArrival = (_, _) => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection reset by peer");

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(1), CancellationToken.None));

        Assert.Equal((0, 1), (result.Sent, result.Failed));
        var entry = rig.Ledger.Team("team-1").Entries.Single();
        Assert.Equal(DeliveryState.Failed, entry.State);
        Assert.Contains("Connection reset by peer", entry.Reason, StringComparison.Ordinal);

        rig.Connector.OnArrival = null;
        var again = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(1), CancellationToken.None));
        Assert.Equal(1, again.Sent);
        Assert.Single(rig.Connector.Posted);
    }

    [Fact]
    public async Task SlowAnswer_WithinTheTimeout_IsOneSend_NotARetry()
    {
        await using var rig = await DeliveryRig.StartAsync(new Dictionary<string, string?> { ["Bot:Connector:Timeout"] = "00:00:05" });
        rig.Connector.OnArrival = (_, token) => Task.Delay(TimeSpan.FromMilliseconds(300), token);

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(2), CancellationToken.None));

        Assert.Equal((2, 0, 0), (result.Sent, result.Retries, result.PossiblyDuplicated));
        Assert.Equal(2, rig.Connector.Posted.Count);
    }

    [Fact]
    public async Task NoAnswer_WithinTheTimeout_IsRetried_AndReportedAsPossiblyDuplicated()
    {
        await using var rig = await DeliveryRig.StartAsync(new Dictionary<string, string?> { ["Bot:Connector:Timeout"] = "00:00:00.200" });
        var hangs = 1;
        rig.Connector.OnArrival = (_, token) => Interlocked.Decrement(ref hangs) >= 0
            ? Task.Delay(Timeout.Infinite, token)
            : Task.CompletedTask;

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(1), CancellationToken.None));

        Assert.Equal((1, 1, 1), (result.Sent, result.Retries, result.PossiblyDuplicated));
        Assert.Single(rig.Connector.Posted);
        Assert.True(rig.Ledger.Team("team-1").Entries.Single().PossiblyDuplicated);
    }
}
