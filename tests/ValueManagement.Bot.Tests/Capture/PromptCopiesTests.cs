using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Schema;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Capture;

/// <summary>The Monday prompt posted to a channel and a data lead's chat: submitting from one turns the other into the summary.</summary>
public sealed class PromptCopiesTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private const string Week = "2026-W48";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 14, 0, TimeSpan.Zero));

    [Fact]
    public async Task SubmitFromOneCopy_UpdatesEveryOtherCopyToTheSummary_AndAnAmendmentUpdatesThemAgain()
    {
        await using var host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(_time));
        // The sender paces its lanes on the host's clock: keep the fake clock moving while the copies go out.
        using var stopClock = new CancellationTokenSource();
        var clock = Task.Run(async () =>
        {
            while (!stopClock.IsCancellationRequested)
            {
                _time.Advance(TimeSpan.FromMilliseconds(100));
                await Task.Delay(5, CancellationToken.None);
            }
        });
        TestOrganisation.Seed(host);
        await host.SendAsync(host.Activities.InstallInTeam());
        await host.SendAsync(host.Activities.InstallPersonal(TestUser.NurseJones));
        await host.Cloud.WaitForCallsAsync(2);
        host.Cloud.ClearCalls();

        var channelKey = new DeliveryKey(PromptCopies.PromptKind, TestOrganisation.Ward7, Week, "channel:" + TestActivities.TeamThreadId);
        var personalConversation = TestActivities.PersonalConversationId(TestUser.NurseJones);
        var chatKey = new DeliveryKey(PromptCopies.PromptKind, TestOrganisation.Ward7, Week, "user:" + TestUser.NurseJones.AadObjectId);
        var sent = await host.Services.GetRequiredService<ProactiveSender>().FanOutAsync(PromptFanOut(host, (channelKey, TestActivities.TeamThreadId), (chatKey, personalConversation)), CancellationToken.None);
        Assert.Equal(2, sent.Sent);
        var ledger = host.Services.GetRequiredService<DeliveryLedger>();
        var channelCopy = ledger.Find(channelKey)!;
        var chatCopy = ledger.Find(chatKey)!;
        host.Cloud.ClearCalls();

        var answer = await host.InvokeAsync(host.Activities.Invoke(CaptureVerbs.SubmitWeek, CaptureTests.Figures(), replyToId: chatCopy.ActivityId));
        Assert.Contains(CaptureVerbs.EditWeek, answer!.ToJsonString(), StringComparison.Ordinal);

        var put = Assert.Single(await host.Cloud.WaitForCallsAsync(1, c => c.Method == "PUT"));
        Assert.Equal((TestActivities.TeamThreadId, channelCopy.ActivityId), (put.ConversationId, put.ActivityId));
        var summary = put.Card!.ToJsonString();
        Assert.Contains(CaptureVerbs.EditWeek, summary, StringComparison.Ordinal);
        Assert.DoesNotContain(CaptureVerbs.SubmitWeek, summary, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Cloud.Calls, c => c.Method == "PUT" && c.ConversationId == personalConversation);

        host.Cloud.ClearCalls();
        var amended = CaptureTests.Figures(revision: 1);
        amended["falls"] = "5";
        await host.InvokeAsync(host.Activities.Invoke(CaptureVerbs.SubmitWeek, amended, from: TestUser.CoachPatel, replyToId: "some-other-card"));

        var puts = await host.Cloud.WaitForCallsAsync(2, c => c.Method == "PUT");
        Assert.Equal(
            new[] { channelCopy.ActivityId, chatCopy.ActivityId }.Order(),
            puts.Select(p => p.ActivityId).Order());
        Assert.All(puts, p => Assert.Contains(CaptureVerbs.EditWeek, p.Card!.ToJsonString(), StringComparison.Ordinal));
        await stopClock.CancelAsync();
        await clock;
    }

    private static FanOut PromptFanOut(BotTestHost host, params (DeliveryKey Key, string ConversationId)[] copies)
    {
        var capture = host.Services.GetRequiredService<CaptureService>();
        var team = host.Services.GetRequiredService<TeamDirectory>().FindTeam(TestOrganisation.Ward7)!;
        IsoWeek.TryParse(Week, out var week);
        var prompt = Activity.Card(PromptCard.Build(capture.PromptModel(team, week)).ToAttachmentContent());
        var conversations = host.Services.GetRequiredService<ConversationStore>();
        var items = copies.Select(c =>
        {
            var conversation = conversations.Find(c.ConversationId)!;
            return new DeliveryItem(c.Key, conversation.Target, conversation.TenantId, prompt);
        }).ToList();
        return new FanOut(PromptCopies.PromptKind, Week, items);
    }
}
