using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Scheduling;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Scheduling;

/// <summary>schedule, remind, missing and status through /api/messages, with who may do what.</summary>
public sealed class ScheduleCommandTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    // Wednesday 9 Dec 2026, 15:00 GMT.
    private static readonly DateTimeOffset Wednesday = new(2026, 12, 9, 15, 0, 0, TimeSpan.Zero);

    private static string ReplyText(ConnectorCall call) => call.Body?["text"]?.GetValue<string>() ?? string.Empty;

    private async Task<(BotTestHost Host, FakeTimeProvider Time)> StartAsync()
    {
        var time = new FakeTimeProvider(Wednesday);
        var host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(time));
        await RhythmTests.LinkAsync(host);
        return (host, time);
    }

    private static async Task<string> AskAsync(BotTestHost host, string text, TestUser from)
    {
        host.Cloud.ClearCalls();
        await host.SendAsync(host.Activities.Personal(text, from));
        var reply = await host.Cloud.WaitForCallsAsync(1, c => c.ConversationId == TestActivities.PersonalConversationId(from));
        return ReplyText(reply[0]);
    }

    [Fact]
    public async Task Schedule_ShowsTimesAndNextRunsInLocalTime()
    {
        var (host, _) = await StartAsync();
        await using var _1 = host;

        var text = await AskAsync(host, "schedule ward 7", TestUser.NurseJones);

        Assert.Contains("prompt: Monday 09:00 (next: Mon 14 Dec 09:00)", text, StringComparison.Ordinal);
        Assert.Contains("report-out: Thursday 14:00", text, StringComparison.Ordinal);
        Assert.Contains("next reminder: Thu 10 Dec 13:30", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScheduleChange_ByCoach_StoredAuditedAndTakesEffect_ImpossibleTimesRefused()
    {
        var (host, _) = await StartAsync();
        await using var _1 = host;

        var changed = await AskAsync(host, "schedule ward 7 prompt mon 08:30", TestUser.CoachPatel);
        Assert.Contains("now Monday 08:30", changed, StringComparison.Ordinal);
        Assert.Contains("Mon 14 Dec 08:30", changed, StringComparison.Ordinal);
        Assert.Equal(new WeeklyTime(DayOfWeek.Monday, new TimeOnly(8, 30)), host.Services.GetRequiredService<TeamScheduleStore>().For(TestOrganisation.Ward7).Prompt);
        var audit = Assert.Single(host.Services.GetRequiredService<AuditLog>().ForSubject("schedule", TestOrganisation.Ward7));
        Assert.Equal(("prompt", "Monday 09:00", "Monday 08:30"), (audit.Changes[0].Field, audit.Changes[0].Old, audit.Changes[0].New));

        Assert.Contains("must come after the prompt", await AskAsync(host, "schedule ward 7 reminder mon 08:00", TestUser.CoachPatel), StringComparison.Ordinal);
        Assert.Contains("not a time of day", await AskAsync(host, "schedule ward 7 deadline tue 25:00", TestUser.CoachPatel), StringComparison.Ordinal);
        Assert.Contains("not a day of the week", await AskAsync(host, "schedule ward 7 deadline someday 10:00", TestUser.CoachPatel), StringComparison.Ordinal);
        Assert.Contains("not \"lunch\"", await AskAsync(host, "schedule ward 7 lunch mon 12:00", TestUser.CoachPatel), StringComparison.Ordinal);
        Assert.Contains("coach or an admin", await AskAsync(host, "schedule ward 7 prompt mon 07:00", TestUser.NurseJones), StringComparison.Ordinal);
        Assert.Equal(new WeeklyTime(DayOfWeek.Monday, new TimeOnly(8, 30)), host.Services.GetRequiredService<TeamScheduleStore>().For(TestOrganisation.Ward7).Prompt);
        Assert.Single(host.Services.GetRequiredService<AuditLog>().ForSubject("schedule", TestOrganisation.Ward7));
    }

    [Fact]
    public async Task Remind_ByCoach_PostsTheReminderInTheChannelOnce_DataLeadRefused()
    {
        var (host, _) = await StartAsync();
        await using var _1 = host;

        Assert.Contains("coach or an admin", await AskAsync(host, "remind ward 7", TestUser.NurseJones), StringComparison.Ordinal);

        host.Cloud.ClearCalls();
        var command = host.Activities.Personal("remind ward 7", TestUser.CoachPatel);
        await host.SendAsync(command);
        var reminder = await host.Cloud.WaitForCallsAsync(1, c => c.ConversationId == TestActivities.TeamThreadId);
        Assert.Equal("reminder", RhythmTests.Describe(reminder[0]));
        Assert.Contains(host.Cloud.Calls, c => c.ConversationId == TestActivities.PersonalConversationId(TestUser.CoachPatel) && ReplyText(c).Contains("Reminding Ward 7", StringComparison.Ordinal));

        RhythmTests.Submit(host, TestOrganisation.Ward7, new IsoWeek(2026, 49));
        Assert.Contains("already entered", await AskAsync(host, "remind ward 7", TestUser.CoachPatel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_ListsTheCoachsLateTeams_RefusesOthers()
    {
        var (host, _) = await StartAsync();
        await using var _1 = host;
        RhythmTests.Submit(host, TestOrganisation.Ward8, new IsoWeek(2026, 49));

        var text = await AskAsync(host, "missing", TestUser.CoachPatel);
        Assert.Contains("1 of your 2 teams", text, StringComparison.Ordinal);
        Assert.Contains("Ward 7 (2026-W49)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ward 8", text, StringComparison.Ordinal);

        Assert.Contains("2 of your 2 teams", await AskAsync(host, "missing 2026-W48", TestUser.CoachPatel), StringComparison.Ordinal);
        Assert.Contains("'lastweek' is not a week", await AskAsync(host, "missing lastweek", TestUser.CoachPatel), StringComparison.Ordinal);
        Assert.Contains("coaches and admins", await AskAsync(host, "missing", TestUser.NurseJones), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_AdminSeesTheLastFanOuts_OthersRefused()
    {
        var (host, time) = await StartAsync();
        await using var _1 = host;
        await RhythmTests.TickAtAsync(host, time, Wednesday);
        time.SetUtcNow(new DateTimeOffset(2026, 12, 14, 9, 0, 0, TimeSpan.Zero));
        await RhythmTests.TickAtAsync(host, time, time.GetUtcNow());

        var text = await AskAsync(host, "status", TestUser.AdminGrant);
        Assert.Contains("last rhythm tick 2026-12-14", text, StringComparison.Ordinal);
        Assert.Contains($"{RhythmKind.Prompt.KeyName()} 2026-W50: 1 of 1 sent", text, StringComparison.Ordinal);

        Assert.Contains("Only a value management admin", await AskAsync(host, "status", TestUser.CoachPatel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheSchedulingCommands()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        await host.SendAsync(host.Activities.Personal("help", TestUser.CoachPatel));
        var card = (await host.Cloud.WaitForCallsAsync(1))[0].Card!.ToJsonString();
        foreach (var command in new[] { "schedule", "remind", "missing", "status" })
            Assert.Contains(command, card, StringComparison.Ordinal);
    }
}
