using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Scheduling;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Scheduling;

/// <summary>
/// A schedule change or a new link applies from the next occurrence after it: catch-up sends only what
/// was due under the schedule (and the link) in force at the time, as after downtime. Commands go
/// through /api/messages; the tick runs on the fake clock.
/// </summary>
public sealed class ScheduleChangeCatchUpTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private static readonly Actor Setup = new("test", "test setup");

    // Saturday 5 Dec 2026 (GMT, so local time is UTC); the cycle of 2026-W50 (reporting on W49) starts Monday 7 Dec.
    private static readonly DateTimeOffset Saturday = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Monday = Saturday.AddDays(2);

    private static TeamSchedule ScheduleOf(string text)
    {
        var times = text.Split('|').Select(WeeklyTime.Parse).ToArray();
        return new TeamSchedule(times[0], times[1], times[2], times[3], TimeSpan.FromMinutes(30));
    }

    private async Task<(BotTestHost Host, FakeTimeProvider Time)> StartAsync(string? ward7Schedule = null)
    {
        var time = new FakeTimeProvider(Saturday);
        var host = await new RhythmTests(environment).StartLinkedHostAsync(time);
        if (ward7Schedule is not null)
            host.Services.GetRequiredService<TeamScheduleStore>().Save(TestOrganisation.Ward7, ScheduleOf(ward7Schedule), Setup);
        return (host, time);
    }

    private static async Task<string> AskAsync(BotTestHost host, string text, TestUser from)
    {
        host.Cloud.ClearCalls();
        await host.SendAsync(host.Activities.Personal(text, from));
        var reply = await host.Cloud.WaitForCallsAsync(1, c => c.ConversationId == TestActivities.PersonalConversationId(from));
        host.Cloud.ClearCalls();
        return reply[0].Body?["text"]?.GetValue<string>() ?? string.Empty;
    }

    /// <summary>Ticks at <paramref name="from"/> and then on every half hour until <paramref name="until"/>, collecting what was posted (when, where, what).</summary>
    private static async Task<List<(DateTimeOffset At, string Conversation, string What)>> TickThroughAsync(BotTestHost host, FakeTimeProvider time, DateTimeOffset from, DateTimeOffset until)
    {
        var posts = new List<(DateTimeOffset, string, string)>();
        var halfHour = TimeSpan.FromMinutes(30);
        var grid = new DateTimeOffset(from.UtcTicks - from.UtcTicks % halfHour.Ticks, TimeSpan.Zero) + halfHour;
        foreach (var at in new[] { from }.Concat(Enumerable.Range(0, (int)((until - grid) / halfHour) + 1).Select(i => grid + i * halfHour)))
        {
            await RhythmTests.TickAtAsync(host, time, at);
            posts.AddRange(RhythmTests.AcceptedPosts(host).Select(c => (at, c.ConversationId!, What(c))));
            host.Cloud.ClearCalls();
        }
        return posts;
    }

    private static string What(ConnectorCall call) =>
        call.Body?["summary"]?.GetValue<string>()?.Contains("weekly roll-up", StringComparison.Ordinal) == true ? "rollup" : RhythmTests.Describe(call);

    [Theory]
    // The prompt moved at Monday 15:17 from 16:00 (not yet sent) to 10:00 (already past): this week has no prompt.
    [InlineData("mon 16:00|tue 10:00|tue 12:00|thu 14:00", 15 * 60 + 17, "prompt mon 10:00", "prompt", "Mon 14 Dec 10:00", 7 * 24 * 60 + 10 * 60)]
    // The reminder moved at Tuesday 15:17 from 16:00 to 10:00.
    [InlineData("mon 09:00|tue 16:00|tue 17:00|thu 14:00", 39 * 60 + 17, "reminder tue 10:00", "reminder", "Tue 15 Dec 10:00", 8 * 24 * 60 + 10 * 60)]
    // The deadline moved at Tuesday 15:17 from 16:00 to 12:00: neither the coach is told nor the box score posted this week.
    [InlineData("mon 09:00|tue 10:00|tue 16:00|thu 14:00", 39 * 60 + 17, "deadline tue 12:00", "escalation", "Tue 15 Dec 12:00", 8 * 24 * 60 + 12 * 60)]
    // The report-out moved at Thursday 13:47 from 15:00 (reminder 14:30) to 14:00 (reminder 13:30).
    [InlineData("mon 09:00|tue 10:00|tue 12:00|thu 15:00", 3 * 24 * 60 + 13 * 60 + 47, "reportout thu 14:00", "reportout", "Thu 17 Dec 13:30", 10 * 24 * 60 + 13 * 60 + 30)]
    public async Task ScheduleChangedToATimeAlreadyPast_NothingCaughtUp_FirstSentAtTheNextOccurrenceTheReplyNames(
        string before, int changeAtMinutes, string change, string kind, string replyNames, int nextAtMinutes)
    {
        var (host, time) = await StartAsync(before);
        await using var _ = host;
        var changeAt = Monday.AddMinutes(changeAtMinutes);
        await TickThroughAsync(host, time, Monday, changeAt.AddMinutes(-1));

        time.SetUtcNow(changeAt);
        var reply = await AskAsync(host, "schedule ward 7 " + change, TestUser.CoachPatel);
        Assert.Contains("from its next occurrence", reply, StringComparison.Ordinal);
        Assert.Contains($"The next one is {replyNames}.", reply, StringComparison.Ordinal);

        var nextAt = Monday.AddMinutes(nextAtMinutes);
        var after = await TickThroughAsync(host, time, changeAt.AddMinutes(1), nextAt);
        var kinds = kind == "escalation" ? new[] { "escalation", "boxscore" } : [kind];
        var ward7 = after.Where(p => kinds.Contains(p.What) && (p.Conversation == TestActivities.TeamThreadId || p.What == "escalation")).ToList();
        // Only at the next occurrence the reply named: nothing caught up in between.
        Assert.NotEmpty(ward7);
        Assert.All(ward7, p => Assert.Equal(nextAt, p.At));
    }

    [Fact]
    public async Task ScheduleChangedBeforeDowntime_TheMissedOccurrenceIsStillCaughtUp()
    {
        var (host, time) = await StartAsync();
        await using var _ = host;
        Assert.Contains("The next one is Mon 7 Dec 10:00.", await AskAsync(host, "schedule ward 7 prompt mon 10:00", TestUser.CoachPatel), StringComparison.Ordinal);

        // Down from Monday 08:00 until 12:00: the 10:00 prompt of the schedule in force then goes out late.
        await RhythmTests.TickAtAsync(host, time, Monday.AddHours(8));
        await RhythmTests.TickAtAsync(host, time, Monday.AddHours(12));
        Assert.Equal([(TestActivities.TeamThreadId, "prompt")], RhythmTests.AcceptedPosts(host).Select(c => (c.ConversationId!, RhythmTests.Describe(c))).ToList());
    }

    [Fact]
    public async Task PromptDueButNotYetSent_WhenTheScheduleChanges_IsStillSentOnce()
    {
        var time = new FakeTimeProvider(Saturday);
        await using var host = await new RhythmTests(environment).StartLinkedHostAsync(time, settings: new Dictionary<string, string?> { ["Bot:Delivery:MaxAttempts"] = "1" });
        host.Cloud.FailNext(new ScriptedFailure(503));
        var failed = await RhythmTests.TickAtAsync(host, time, Monday.AddHours(9));
        Assert.Null(Assert.Single(failed.Occurrences, o => o.Work.TeamId == TestOrganisation.Ward7).Outcome);

        // At 09:05 the prompt moves to 08:00: the 09:00 one was due under the schedule in force then, and is still owed.
        time.SetUtcNow(Monday.AddHours(9).AddMinutes(5));
        Assert.Contains("Mon 14 Dec 08:00", await AskAsync(host, "schedule ward 7 prompt mon 08:00", TestUser.CoachPatel), StringComparison.Ordinal);
        var posts = await TickThroughAsync(host, time, Monday.AddHours(9).AddMinutes(6), Monday.AddHours(14));
        Assert.Equal([(Monday.AddHours(9).AddMinutes(6), TestActivities.TeamThreadId, "prompt")], posts.Where(p => p.What == "prompt").ToList());
    }

    [Fact]
    public async Task ChannelLinkedAtMonday1517_GetsNoCaughtUpPrompt_ButTheRestOfTheCycle()
    {
        var (host, time) = await StartAsync();
        await using var _ = host;
        // Ward 8's prompt at 10:00, within the six-hour catch-up window of 15:17.
        host.Services.GetRequiredService<TeamScheduleStore>().Save(TestOrganisation.Ward8, ScheduleOf("mon 10:00|tue 10:00|tue 12:00|thu 14:00"), Setup);
        await TickThroughAsync(host, time, Monday, Monday.AddHours(15));

        // Ward 8 had no channel at its 10:00 prompt; an admin links one at 15:17.
        time.SetUtcNow(Monday.AddHours(15).AddMinutes(17));
        await host.SendAsync(host.Activities.Channel("link ward 8", TestUser.AdminGrant));
        await host.Cloud.WaitForCallsAsync(1, c => c.Body?["text"]?.GetValue<string>()?.Contains("**Ward 8**'s", StringComparison.Ordinal) == true);
        host.Cloud.ClearCalls();

        var posts = await TickThroughAsync(host, time, Monday.AddHours(15).AddMinutes(18), Monday.AddDays(1).AddHours(10));
        Assert.Equal([(Monday.AddDays(1).AddHours(10), "reminder")], posts.Where(p => p.Conversation == TestActivities.ChannelThreadId).Select(p => (p.At, p.What)).ToList());
    }

    [Fact]
    public async Task ManagersChannelLinkedAfterTheRollupWasDue_GetsItNextWeek_NotByCatchUp()
    {
        var (host, time) = await StartAsync();
        await using var _ = host;
        var tuesday = Monday.AddDays(1);
        time.SetUtcNow(tuesday.AddHours(14));
        await host.SendAsync(host.Activities.Channel("link service medicine", TestUser.AdminGrant));
        await host.Cloud.WaitForCallsAsync(1, c => c.Body?["text"]?.GetValue<string>()?.Contains("weekly roll-up for **Medicine**", StringComparison.Ordinal) == true);
        host.Cloud.ClearCalls();

        var posts = await TickThroughAsync(host, time, tuesday.AddHours(14).AddMinutes(1), tuesday.AddDays(7).AddHours(13));
        var rollups = posts.Where(p => p.Conversation == TestActivities.ChannelThreadId && p.What == "rollup").ToList();
        Assert.Equal([tuesday.AddDays(7).AddHours(13)], rollups.Select(p => p.At).ToList());
    }
}
