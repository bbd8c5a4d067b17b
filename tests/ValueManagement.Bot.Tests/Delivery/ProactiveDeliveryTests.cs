using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Delivery;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Schema;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Delivery;

/// <summary>The delivery layer as the bot host wires it, against the fake cloud enforcing Teams' limits.</summary>
public sealed class ProactiveDeliveryTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private const string Week = "2026-W48";
    private readonly BotTestEnvironment _environment = environment;

    [Fact]
    public async Task MondayPrompt_ThroughTheHost_GoesOncePerKey_WithinTeamsLimits_AndCanBeUpdatedInPlace()
    {
        await using var host = _environment.StartHost();
        await host.SendAsync(host.Activities.InstallInTeam());
        await host.SendAsync(host.Activities.InstallPersonal(TestUser.NurseJones));
        await host.Cloud.WaitForCallsAsync(2); // the welcome cards, sent inside the turn
        host.Cloud.ClearCalls();
        var limits = host.Cloud.EnforceTeamsLimits();
        var sender = host.Services.GetRequiredService<ProactiveSender>();
        var ledger = host.Services.GetRequiredService<DeliveryLedger>();

        var fanOut = MondayPrompt(host.Services.GetRequiredService<ConversationStore>(), host.Cloud.ServiceUrl);
        var result = await sender.FanOutAsync(fanOut, CancellationToken.None);

        Assert.Equal((29, 29, 0, 0), (result.Total, result.Sent, result.Failed, result.Throttled));
        Assert.Equal(0, limits.Throttled);
        Assert.Equal(8, host.Cloud.PostedMessageCounts[TestActivities.TeamThreadId]);
        Assert.Equal(1, host.Cloud.PostedMessageCounts[TestActivities.PersonalConversationId(TestUser.NurseJones)]);
        Assert.Equal(29, host.Cloud.PostedMessageCounts.Values.Sum());
        Assert.True(limits.MaxInAnyWindow(TestActivities.TeamThreadId, TimeSpan.FromSeconds(1)) <= 7);

        var again = await sender.FanOutAsync(MondayPrompt(host.Services.GetRequiredService<ConversationStore>(), host.Cloud.ServiceUrl), CancellationToken.None);

        Assert.Equal((0, 29), (again.Sent, again.AlreadySent));
        Assert.Equal(29, host.Cloud.PostedMessageCounts.Values.Sum());

        var personalKey = new DeliveryKey("prompt", "nurse-jones", Week, "user:" + TestUser.NurseJones.AadObjectId);
        var update = await sender.UpdateAsync(personalKey, Activity.Message("Thank you: your answers are in."), CancellationToken.None);

        Assert.Equal(UpdateOutcome.Updated, update.Outcome);
        var put = Assert.Single(host.Cloud.Calls, c => c.Method == "PUT");
        Assert.Equal(TestActivities.PersonalConversationId(TestUser.NurseJones), put.ConversationId);
        Assert.Equal(ledger.Find(personalKey)!.ActivityId, put.ActivityId);
        Assert.Equal("Thank you: your answers are in.", put.Body!["text"]!.GetValue<string>());

        var report = ledger.FanOut("prompt", Week)!;
        Assert.Equal((29, 29, 2), (report.Total, report.Sent, report.Runs));
    }

    [Fact]
    public async Task FailedSends_AreResumedByTheNextStart()
    {
        var database = _environment.NewDatabasePath();
        var settings = new Dictionary<string, string?>
        {
            ["Bot:Delivery:MaxAttempts"] = "2",
            ["Bot:Delivery:BaseDelay"] = "00:00:00.020",
            ["Bot:Delivery:MaxDelay"] = "00:00:00.050",
        };
        var target = new ConversationTarget(_environment.Cloud.ServiceUrl, TestActivities.ChannelThreadId);
        var key = new DeliveryKey("prompt", "ward-7", Week, "channel:" + TestActivities.ChannelThreadId);

        await using (var first = _environment.StartHost(settings, databasePath: database))
        {
            first.Cloud.FailNext(new ScriptedFailure(503, "ServiceUnavailable"));
            first.Cloud.FailNext(new ScriptedFailure(429, "Throttled", TimeSpan.FromSeconds(1)));
            var sender = first.Services.GetRequiredService<ProactiveSender>();

            var result = await sender.FanOutAsync(new FanOut("prompt", Week, [new DeliveryItem(key, target, TestActivities.TenantId, Activity.Message("Monday prompt"))]), CancellationToken.None);

            Assert.Equal((1, 1), (result.Failed, result.Throttled));
            Assert.Equal(2, first.Cloud.Calls.Count);
            var entry = first.Services.GetRequiredService<DeliveryLedger>().Find(key)!;
            Assert.Equal((DeliveryState.Failed, true, 429), (entry.State, entry.Retryable, entry.LastStatus));
        }

        await WaitUntilReleasedAsync(database);
        await using var second = _environment.StartHost(settings, databasePath: database);
        var ledger = second.Services.GetRequiredService<DeliveryLedger>();

        var call = Assert.Single(await second.Cloud.WaitForCallsAsync(1));
        Assert.Equal(TestActivities.ChannelThreadId, call.ConversationId);
        Assert.Equal("Monday prompt", call.Body!["text"]!.GetValue<string>());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (ledger.Find(key)!.State != DeliveryState.Sent && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(DeliveryState.Sent, ledger.Find(key)!.State);
    }

    /// <summary>
    /// Waits until the previous host has closed the data file. WebApplicationFactory's dispose can
    /// return while Program's own host is still disposing (and LiteDB still checkpointing its log);
    /// opening the file then can read it half-written.
    /// </summary>
    private static async Task WaitUntilReleasedAsync(string databasePath)
    {
        if (TestStorage.IsPostgreSql) return; // no file: the next host opens its own connections
        var log = Path.Combine(Path.GetDirectoryName(databasePath)!, Path.GetFileNameWithoutExtension(databasePath) + "-log" + Path.GetExtension(databasePath));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (!File.Exists(log))
            {
                try
                {
                    using var exclusive = new FileStream(databasePath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                    return;
                }
                catch (IOException)
                {
                    // Still open.
                }
            }
            await Task.Delay(20);
        }
        throw new TimeoutException($"The previous host never released {databasePath}.");
    }

    /// <summary>One prompt per stored conversation, seven more into the team's channel, and 20 more teams.</summary>
    private static FanOut MondayPrompt(ConversationStore conversations, string serviceUrl)
    {
        var items = new List<DeliveryItem>();
        foreach (var conversation in conversations.All())
        {
            var personal = conversation.UserAadObjectId is not null;
            var team = personal ? "nurse-jones" : "team-general";
            var destination = personal ? "user:" + conversation.UserAadObjectId : "channel:" + conversation.Id;
            items.Add(new DeliveryItem(new DeliveryKey("prompt", team, Week, destination), conversation.Target, conversation.TenantId, Activity.Message($"Monday prompt for {team}")));
            if (!personal)
            {
                for (var i = 2; i <= 8; i++)
                    items.Add(new DeliveryItem(new DeliveryKey("prompt", $"team-general-{i}", Week, destination), conversation.Target, conversation.TenantId, Activity.Message($"Monday prompt {i}")));
            }
        }
        for (var i = 1; i <= 20; i++)
        {
            var channel = $"19:ward{i:D2}channel000000000000000000@thread.tacv2";
            items.Add(new DeliveryItem(new DeliveryKey("prompt", $"ward-{i}", Week, "channel:" + channel), new ConversationTarget(serviceUrl, channel), TestActivities.TenantId, Activity.Message($"Monday prompt for ward {i}")));
        }
        return new FanOut("prompt", Week, items);
    }
}

public sealed class FakeCloudTeamsLimitsTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private readonly BotTestEnvironment _environment = environment;

    [Fact]
    public async Task EnforcedLimits_EighthMessageInASecond_Gets429WithRetryAfter()
    {
        var cloud = _environment.Cloud;
        cloud.Reset();
        // A frozen clock: all eight requests fall in the same second however slow the machine is.
        var limits = cloud.EnforceTeamsLimits(time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        using var http = new HttpClient(TestCertificate.TrustingHandler());
        var url = cloud.ServiceUrl + "v3/conversations/" + Uri.EscapeDataString(TestActivities.ChannelThreadId) + "/activities";

        var statuses = new List<int>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 8; i++)
        {
            last?.Dispose();
            last = await http.PostAsync(url, new StringContent("""{"type":"message","text":"hi"}""", System.Text.Encoding.UTF8, "application/json"));
            statuses.Add((int)last.StatusCode);
        }

        Assert.Equal([201, 201, 201, 201, 201, 201, 201, 429], statuses);
        Assert.Equal(TimeSpan.FromSeconds(1), last!.Headers.RetryAfter?.Delta);
        Assert.Contains("Throttled", await last.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((7, 1, 1), (limits.Admitted, limits.Throttled, limits.ThrottledByConversation));
        Assert.Equal(7, cloud.PostedMessageCounts[TestActivities.ChannelThreadId]);
        last.Dispose();

        cloud.Reset();
        Assert.Null(cloud.Limits);
    }

    [Fact]
    public void Enforcer_TenantCeiling_RefusesTheFiftyFirstInASecond()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var limits = new TeamsLimitEnforcer(time: time);

        var decisions = Enumerable.Range(0, 51).Select(i => limits.TryAdmit("tenant", $"19:c{i}@thread.tacv2")).ToList();
        time.Advance(TimeSpan.FromSeconds(1));
        var later = limits.TryAdmit("tenant", "19:c99@thread.tacv2");

        Assert.All(decisions.Take(50), d => Assert.True(d.Admitted));
        Assert.Equal(new LimitDecision(false, TimeSpan.FromSeconds(1), "tenant"), decisions[50]);
        Assert.True(later.Admitted);
    }
}
