using ValueManagement.Features.Delivery;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Features.Tests.Delivery;

public sealed class RateLimitTests
{
    [Fact]
    public async Task ManyMessagesToOneConversation_NeverExceedTeamsPerConversationLimits()
    {
        await using var rig = await DeliveryRig.StartAsync(new Dictionary<string, string?> { ["Bot:Delivery:TenantMessagesPerSecond"] = "50" });
        rig.Connector.Limits = new TeamsLimitEnforcer(time: rig.Time);
        var target = DeliveryRig.Conversation(1);
        var items = Enumerable.Range(1, 70).Select(i => DeliveryRig.Item("team-1", target, destination: $"channel:{target}#{i:D2}", text: $"message {i:D2}"));

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(new FanOut(DeliveryRig.Kind, DeliveryRig.Week, items.ToList()), CancellationToken.None));

        Assert.Equal(70, result.Sent);
        Assert.Equal(0, result.Throttled);
        Assert.Equal(0, rig.Connector.Limits.Throttled);
        var times = rig.Connector.Posted.Select(p => p.At).ToList();
        Assert.True(TeamsLimitEnforcer.MaxInAnyWindow(times, TimeSpan.FromSeconds(1)) <= 7);
        Assert.True(TeamsLimitEnforcer.MaxInAnyWindow(times, TimeSpan.FromSeconds(2)) <= 8);
        Assert.True(TeamsLimitEnforcer.MaxInAnyWindow(times, TimeSpan.FromSeconds(30)) <= 60);
        Assert.Equal(7, TeamsLimitEnforcer.MaxInAnyWindow(times, TimeSpan.FromSeconds(1))); // and it does use the allowance
        Assert.Equal(Enumerable.Range(1, 70).Select(i => $"message {i:D2}"), rig.Connector.Posted.Select(p => p.Json!["text"]!.GetValue<string>()));
    }

    [Fact]
    public async Task FanOut_NeverExceedsTheTenantCeiling()
    {
        await using var rig = await DeliveryRig.StartAsync(new Dictionary<string, string?> { ["Bot:Delivery:TenantMessagesPerSecond"] = "10" });

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(40), CancellationToken.None));

        Assert.Equal(40, result.Sent);
        var times = rig.Connector.Posted.Select(p => p.At).ToList();
        Assert.Equal(10, TeamsLimitEnforcer.MaxInAnyWindow(times, TimeSpan.FromSeconds(1)));
        Assert.True(TeamsLimitEnforcer.MaxInAnyWindow(times, TimeSpan.FromSeconds(0.1)) <= 2);
        Assert.True(result.Elapsed >= TimeSpan.FromSeconds(3.8)); // 10 in each of 4 seconds, 0.09 s apart
    }

    [Fact]
    public async Task TenantsArePacedSeparately()
    {
        await using var rig = await DeliveryRig.StartAsync(new Dictionary<string, string?> { ["Bot:Delivery:TenantMessagesPerSecond"] = "5" });
        var items = Enumerable.Range(1, 20).Select(i => DeliveryRig.Item($"team-{i}", DeliveryRig.Conversation(i)) with { TenantId = i % 2 == 0 ? "tenant-a" : "tenant-b" });

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(new FanOut(DeliveryRig.Kind, DeliveryRig.Week, items.ToList()), CancellationToken.None));

        Assert.Equal(20, result.Sent);
        var times = rig.Connector.Posted.Select(p => p.At).ToList();
        Assert.Equal(10, TeamsLimitEnforcer.MaxInAnyWindow(times, TimeSpan.FromSeconds(1)));
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task ConnectorStricterThanConfigured_429sAreWaitedOut_NothingLostOrDoubled()
    {
        // The sender is told 20/s, but this Connector allows 8 per tenant per second.
        await using var rig = await DeliveryRig.StartAsync(new Dictionary<string, string?>
        {
            ["Bot:Delivery:TenantMessagesPerSecond"] = "20",
            ["Bot:Delivery:MaxAttempts"] = "10",
        });
        rig.Connector.Limits = new TeamsLimitEnforcer(new TeamsLimitSettings { PerTenantPerSecond = 8 }, rig.Time);

        var result = await rig.RunAsync(rig.Sender.FanOutAsync(DeliveryRig.FanOutTo(40), CancellationToken.None));

        Assert.Equal(40, result.Sent);
        Assert.True(result.Throttled > 0);
        Assert.Equal(rig.Connector.Limits.Throttled, result.Throttled);
        Assert.Equal(40, rig.Connector.Posted.Select(p => p.ConversationId).Distinct().Count());
        Assert.Equal(40, rig.Connector.Posted.Count);
        var report = rig.Ledger.FanOut(DeliveryRig.Kind, DeliveryRig.Week)!;
        Assert.Equal(result.Throttled, report.Throttles);
        Assert.True(report.ThrottledAndRetried > 0);
    }
}
