using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.Scheduling;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Scheduling;

/// <summary>The weekly rhythm on the real host: the tick is called directly on a fake clock, the Connector is the fake cloud.</summary>
public sealed class RhythmTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private static readonly Actor Setup = new("test", "test setup");

    // Monday 7 Dec 2026 (GMT): the cycle of 2026-W50, reporting on 2026-W49.
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly IsoWeek Week49 = new(2026, 49);

    [Fact]
    public async Task DefaultWeek_PromptReminderEscalationBoxScoreReportOut_EachPostedOnceAtLocalTimes()
    {
        var time = new FakeTimeProvider(Monday);
        await using var host = await StartLinkedHostAsync(time);

        var posts = new List<(DateTimeOffset At, string Conversation, string What)>();
        var nowhere = new List<RhythmOccurrenceResult>();
        for (var at = Monday; at <= Monday.AddDays(4); at = at.AddMinutes(15))
        {
            var tick = await TickAtAsync(host, time, at);
            foreach (var occurrence in tick.Occurrences) Assert.NotNull(occurrence.Outcome);
            nowhere.AddRange(tick.Occurrences.Where(o => o.Outcome == RhythmOutcome.NoDestination));
            foreach (var call in AcceptedPosts(host)) posts.Add((at, call.ConversationId!, Describe(call)));
            host.Cloud.ClearCalls();
        }

        Assert.Equal(
            [
                (Monday.AddHours(9), TestActivities.TeamThreadId, "prompt"),
                (Monday.AddDays(1).AddHours(10), TestActivities.TeamThreadId, "reminder"),
                (Monday.AddDays(1).AddHours(12), TestActivities.TeamThreadId, "boxscore"),
                (Monday.AddDays(1).AddHours(12), TestActivities.PersonalConversationId(TestUser.CoachPatel), "escalation"),
                (Monday.AddDays(1).AddHours(12), TestActivities.PersonalConversationId(TestUser.CoachPatel), "escalation"),
                (Monday.AddDays(3).AddHours(13.5), TestActivities.TeamThreadId, "reportout"),
            ],
            posts.OrderBy(p => p.At).ThenBy(p => p.What, StringComparer.Ordinal).ToList());

        // Coach Patel is told about both wards; Ward 8's prompt had nowhere to go.
        var state = host.Services.GetRequiredService<RhythmStateStore>();
        Assert.Equal(RhythmOutcome.Sent, state.Find(RhythmKind.Prompt, TestOrganisation.Ward7, Week49)!.Outcome);
        // Ward 8 has no channel: its prompt stays due until the catch-up window ends (a channel linked after 09:00 starts with the next one).
        Assert.Null(state.Find(RhythmKind.Prompt, TestOrganisation.Ward8, Week49));
        var ward8 = nowhere.Where(o => o.Work.TeamId == TestOrganisation.Ward8 && o.Work.Kind == RhythmKind.Prompt).ToList();
        Assert.Equal(6 * 4, ward8.Count);
        Assert.All(ward8, o => Assert.Contains("no channel linked", o.Detail, StringComparison.Ordinal));
        var audit = host.Services.GetRequiredService<AuditLog>().ForSubject("rhythm", RhythmRun.IdOf(RhythmKind.Prompt, TestOrganisation.Ward7, Week49));
        Assert.Equal("prompt-sent", Assert.Single(audit).Action);
    }

    [Fact]
    public async Task PromptDayIsStAndrewsDay_CycleMovesToTheNextWorkingDay()
    {
        // Monday 30 Nov 2026 is St Andrew's Day, a Scottish bank holiday (shipped in the default calendar).
        var holiday = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(holiday);
        await using var host = await StartLinkedHostAsync(time);

        var posts = new List<(DateTimeOffset At, string What)>();
        for (var at = holiday; at <= holiday.AddDays(3); at = at.AddMinutes(30))
        {
            await TickAtAsync(host, time, at);
            posts.AddRange(AcceptedPosts(host).Where(c => c.ConversationId == TestActivities.TeamThreadId).Select(c => (at, Describe(c))));
            host.Cloud.ClearCalls();
        }
        Assert.Equal(
            [(holiday.AddDays(1).AddHours(9), "prompt"), (holiday.AddDays(2).AddHours(10), "reminder"), (holiday.AddDays(2).AddHours(12), "boxscore")],
            posts);
    }

    [Fact]
    public async Task SubmittedBeforeTheReminder_NoReminderNoEscalation_BoxScorePostedAtOnce()
    {
        var time = new FakeTimeProvider(Monday);
        await using var host = await StartLinkedHostAsync(time);
        await TickAtAsync(host, time, Monday.AddHours(9));
        host.Cloud.ClearCalls();

        time.SetUtcNow(Monday.AddHours(11));
        Submit(host, TestOrganisation.Ward7, Week49);
        await TickAtAsync(host, time, Monday.AddHours(11).AddMinutes(1));
        var boxScore = Assert.Single(AcceptedPosts(host));
        Assert.Equal("boxscore", Describe(boxScore));
        host.Cloud.ClearCalls();

        for (var at = Monday.AddHours(12); at <= Monday.AddDays(2); at = at.AddMinutes(30))
            await TickAtAsync(host, time, at);
        // Only Ward 8 (not submitted) is escalated to the coach.
        var escalation = Assert.Single(AcceptedPosts(host));
        Assert.Equal("escalation", Describe(escalation));
        Assert.Contains("Ward 8", escalation.Body!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiguresInAfterTheDeadline_PostedBoxScoreUpdatedInPlace_Once()
    {
        var time = new FakeTimeProvider(Monday);
        await using var host = await StartLinkedHostAsync(time);
        await TickAtAsync(host, time, Monday.AddDays(1).AddHours(12));
        var posted = Assert.Single(AcceptedPosts(host), c => Describe(c) == "boxscore");
        var entry = host.Services.GetRequiredService<DeliveryLedger>().Team(TestOrganisation.Ward7, "boxscore", Week49.ToString()).Entries.Single();
        host.Cloud.ClearCalls();

        time.SetUtcNow(Monday.AddDays(2).AddHours(9));
        Submit(host, TestOrganisation.Ward7, Week49);
        var tick = await TickAtAsync(host, time, Monday.AddDays(2).AddHours(9).AddMinutes(1));
        Assert.Equal(1, tick.BoxScoresUpdated);
        var put = Assert.Single(host.Cloud.Calls, c => c.Method == "PUT");
        Assert.Equal((TestActivities.TeamThreadId, entry.ActivityId), (put.ConversationId, put.ActivityId));
        Assert.Contains("boxscore-updated", host.Services.GetRequiredService<AuditLog>().ForTeam(TestOrganisation.Ward7).Select(e => e.Action));

        host.Cloud.ClearCalls();
        Assert.Equal(0, (await TickAtAsync(host, time, Monday.AddDays(2).AddHours(9).AddMinutes(2))).BoxScoresUpdated);
        Assert.Empty(host.Cloud.Calls);
    }

    [Theory]
    [InlineData("2026-03-29T00:00:00Z")] // spring forward at 01:00 UTC: Sunday 01:30 does not exist
    [InlineData("2026-10-25T00:00:00Z")] // fall back at 01:00 UTC: Sunday 01:30 happens twice
    public async Task PromptInsideAClockChange_PostedExactlyOnce(string sundayText)
    {
        var sunday = DateTimeOffset.Parse(sundayText, System.Globalization.CultureInfo.InvariantCulture);
        var time = new FakeTimeProvider(sunday.AddDays(-1));
        await using var host = await StartLinkedHostAsync(time);
        var sundayAt = (int h, int m) => new WeeklyTime(DayOfWeek.Sunday, new TimeOnly(h, m));
        host.Services.GetRequiredService<TeamScheduleStore>().Save(TestOrganisation.Ward7,
            new TeamSchedule(sundayAt(1, 30), sundayAt(3, 0), sundayAt(4, 0), sundayAt(6, 0), TimeSpan.FromMinutes(30)), Setup);

        var prompts = new List<DateTimeOffset>();
        for (var at = sunday.AddDays(-1); at <= sunday.AddDays(1); at = at.AddMinutes(5))
        {
            await TickAtAsync(host, time, at);
            prompts.AddRange(AcceptedPosts(host).Where(c => Describe(c) == "prompt").Select(_ => at));
            host.Cloud.ClearCalls();
        }

        // Spring: the gap ends at 02:00 BST = 01:00 UTC. Autumn: the first 01:30 (BST) = 00:30 UTC.
        var expected = sunday.Month == 3 ? sunday.AddHours(1) : sunday.AddMinutes(30);
        Assert.Equal([expected], prompts);
    }

    [Fact]
    public async Task Downtime_WithinTheCatchUpWindowSentLate_OlderLeft()
    {
        var time = new FakeTimeProvider(Monday);
        await using var host = await StartLinkedHostAsync(time);

        // Down from Monday 08:00 to Tuesday 11:00: the prompt (Mon 09:00) is past the 6-hour window, the reminder (Tue 10:00) is not.
        await TickAtAsync(host, time, Monday.AddHours(8));
        await TickAtAsync(host, time, Monday.AddDays(1).AddHours(11));
        Assert.Equal(["reminder"], AcceptedPosts(host).Select(Describe).ToList());
    }

    [Fact]
    public async Task TickRunTwiceAtOnce_SendsEachMessageOnce()
    {
        var time = new FakeTimeProvider(Monday.AddHours(9));
        await using var host = await StartLinkedHostAsync(time);
        var runner = host.Services.GetRequiredService<RhythmRunner>();

        var both = Task.WhenAll(runner.TickAsync(CancellationToken.None), runner.TickAsync(CancellationToken.None));
        while (!both.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.WhenAny(both, Task.Delay(2));
        }
        await both;
        Assert.Equal(["prompt"], AcceptedPosts(host).Select(Describe).ToList());
    }

    [Fact]
    public async Task ConnectorFailsThePrompt_OccurrenceStaysDue_NextTickSendsIt()
    {
        var time = new FakeTimeProvider(Monday.AddHours(9));
        await using var host = await StartLinkedHostAsync(time, settings: new Dictionary<string, string?> { ["Bot:Delivery:MaxAttempts"] = "1" });
        host.Cloud.FailNext(new ScriptedFailure(503));

        var first = await TickAtAsync(host, time, Monday.AddHours(9));
        Assert.Null(Assert.Single(first.Occurrences, o => o.Work.TeamId == TestOrganisation.Ward7).Outcome);
        Assert.Empty(AcceptedPosts(host));

        var second = await TickAtAsync(host, time, Monday.AddHours(9).AddMinutes(1));
        Assert.Equal(RhythmOutcome.Sent, Assert.Single(second.Occurrences, o => o.Work.TeamId == TestOrganisation.Ward7).Outcome);
        Assert.Equal(["prompt"], AcceptedPosts(host).Select(Describe).ToList());
    }

    [Fact]
    public async Task TwoHundredTeams_AWeekThroughTeamsLimits_EveryMessageOnce()
    {
        const int teams = 200;
        var time = new FakeTimeProvider(Monday);
        // TickAtAsync runs the fake clock at about five times real time, so the sender's default 200 ms margin on each
        // conversation window would cover only ~40 ms of real latency: on a loaded machine a call started in time could
        // reach the fake Teams inside the next window. A second of fake time keeps the same real-time margin as production.
        await using var host = environment.StartHost(
            settings: new Dictionary<string, string?> { ["Bot:Delivery:ConversationWindowMargin"] = "00:00:01" },
            configureServices: services => services.AddSingleton<TimeProvider>(time));
        var limits = host.Cloud.EnforceTeamsLimits(time: time);
        SeedTeams(host, teams);
        await host.SendAsync(host.Activities.InstallPersonal(TestUser.CoachPatel));
        await host.Cloud.WaitForCallsAsync(1);
        host.Cloud.ClearCalls();

        var submitted = Enumerable.Range(0, teams).Where(i => i % 2 == 0).Select(TeamId).ToHashSet();
        await TickAtAsync(host, time, Monday.AddHours(9));
        time.SetUtcNow(Monday.AddHours(11));
        foreach (var team in submitted) Submit(host, team, Week49);
        foreach (var at in new[] { Monday.AddHours(11).AddMinutes(1), Monday.AddDays(1).AddHours(10), Monday.AddDays(1).AddHours(12), Monday.AddDays(3).AddHours(13.5), Monday.AddDays(4) })
            await TickAtAsync(host, time, at);
        // A re-run (a retried Hangfire job) finds nothing due.
        Assert.Empty((await TickAtAsync(host, time, Monday.AddDays(4).AddMinutes(1))).Occurrences);

        var ledger = host.Services.GetRequiredService<DeliveryLedger>();
        int Sent(RhythmKind kind) => ledger.FanOut(kind.KeyName(), Week49.ToString())?.Sent ?? 0;
        Assert.Equal(teams, Sent(RhythmKind.Prompt));
        Assert.Equal(teams / 2, Sent(RhythmKind.Reminder));
        Assert.Equal(teams / 2, Sent(RhythmKind.Escalation));
        Assert.Equal(teams, Sent(RhythmKind.BoxScore));
        Assert.Equal(teams, Sent(RhythmKind.ReportOut));

        var posts = AcceptedPosts(host);
        Assert.Equal(teams * 3 + teams / 2 * 2, posts.Count);
        // Each channel got prompt, box score and report-out once, and a reminder only if it had not submitted.
        foreach (var group in posts.Where(p => p.ConversationId!.StartsWith("19:team", StringComparison.Ordinal)).GroupBy(p => p.ConversationId!))
        {
            var kinds = group.Select(Describe).Order(StringComparer.Ordinal).ToList();
            var team = "team-" + group.Key[7..10];
            Assert.Equal(submitted.Contains(team) ? ["boxscore", "prompt", "reportout"] : ["boxscore", "prompt", "reminder", "reportout"], kinds);
        }
        Assert.Equal(teams / 2, posts.Count(p => p.ConversationId == TestActivities.PersonalConversationId(TestUser.CoachPatel)));
        Assert.True(limits.Throttled == 0, $"429s: {limits.ThrottledByConversation} by conversation, {limits.ThrottledByTenant} by tenant");
        Assert.True(TeamsLimitEnforcer.MaxInAnyWindow(limits.AdmittedRequests.Select(r => r.At), TimeSpan.FromSeconds(1)) <= limits.Settings.PerTenantPerSecond);
    }

    [Fact]
    public async Task RestartInTheMiddleOfTheMondayFanOut_ResumesWhereItStopped_NothingLostOrRepeated()
    {
        const int teams = 40;
        var time = new FakeTimeProvider(Monday.AddHours(9));
        var databasePath = environment.NewDatabasePath();
        await using (var host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(time), databasePath: databasePath))
        {
            SeedTeams(host, teams);
            // The clock stands still: the sender's pacing lets the first messages out and holds the rest.
            var tick = host.Services.GetRequiredService<RhythmRunner>().TickAsync(CancellationToken.None);
            await host.Cloud.WaitForCallsAsync(1, c => c.Method == "POST");
            // Until the first messages are all answered (no new post for a while): then nothing is in flight at the stop.
            for (var seen = -1; AcceptedPosts(environment.Cloud).Count != seen;)
            {
                seen = AcceptedPosts(environment.Cloud).Count;
                await Task.Delay(500);
            }
            await host.DisposeAsync();
            // Stopped part-way, the tick either fails (its host is gone) or returns with the rest unfinished.
            var stopped = await Task.WhenAny(tick, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.Same(tick, stopped);
            if (tick.IsCompletedSuccessfully)
            {
                var first = await tick;
                Assert.True(first.Finished < teams, $"{first.Finished} of {teams} finished before the stop");
            }
        }
        var beforeRestart = AcceptedPosts(environment.Cloud).Count;
        Assert.InRange(beforeRestart, 1, teams - 1);

        await using (var again = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(time), databasePath: databasePath, resetCloud: false))
        {
            var tick = await TickAtAsync(again, time, Monday.AddHours(9).AddMinutes(1));
            // Every team's prompt on record once: those the stopped tick finished (when it returned rather than failed) and the rest now.
            var onRecord = again.Services.GetRequiredService<IDocumentDatabase>().Collection(RhythmStateStore.Stored).All().Count(r => r.Kind == RhythmKind.Prompt.KeyName());
            Assert.Equal(teams, onRecord);
            Assert.InRange(tick.Finished, teams - beforeRestart, teams);
            var posts = AcceptedPosts(again);
            Assert.Equal(teams, posts.Count);
            Assert.All(posts.GroupBy(p => p.ConversationId), g => Assert.Single(g));
            var status = again.Services.GetRequiredService<DeliveryLedger>().FanOut("prompt", Week49.ToString())!;
            Assert.Equal((teams, 0, 0), (status.Sent, status.Pending, status.Failed));
            // Nothing was in flight at the moment of the stop, so nothing may show twice.
            Assert.Equal(0, status.PossiblyDuplicated);
        }
    }

    internal static string TeamId(int i) => $"team-{i:D3}";

    private void SeedTeams(BotTestHost host, int count)
    {
        var directory = host.Services.GetRequiredService<TeamDirectory>();
        var teams = Enumerable.Range(0, count).Select(i => new TeamProfile
        {
            Id = TeamId(i),
            Name = $"Team {i:D3}",
            ServiceId = "medicine",
            MeasureSetId = "acute-ward",
            ChannelConversationId = $"19:team{i:D3}channel@thread.tacv2",
        }).ToList();
        directory.ReplaceAll(
            [new Board("nhs-highland", "NHS Highland")],
            [new Service("medicine", "Medicine", "nhs-highland")],
            teams,
            teams.Select(t => new RoleAssignment(TestUser.CoachPatel.AadObjectId, TestUser.CoachPatel.Name, Role.Coach, RoleScopeKind.Team, t.Id)).ToList(),
            Setup);
        // The channels' stored references, as installs would have left them.
        var conversations = host.Services.GetRequiredService<IDocumentDatabase>().Collection(ConversationStore.Stored);
        conversations.UpsertMany(teams.Select(t => new ConversationRecord
        {
            Id = t.ChannelConversationId!,
            ServiceUrl = host.Cloud.ServiceUrl,
            ConversationType = "channel",
            TenantId = TestActivities.TenantId,
            InstalledAt = Monday,
            UpdatedAt = Monday,
        }));
    }

    /// <summary>The host with the test organisation, the bot installed in the team and in coach Patel's chat, and Ward 7 linked to the team's channel.</summary>
    internal async Task<BotTestHost> StartLinkedHostAsync(FakeTimeProvider time, IDictionary<string, string?>? settings = null, string? databasePath = null)
    {
        var host = environment.StartHost(settings, services => services.AddSingleton<TimeProvider>(time), databasePath);
        await LinkAsync(host);
        return host;
    }

    internal static async Task LinkAsync(BotTestHost host)
    {
        TestOrganisation.Seed(host);
        await host.SendAsync(host.Activities.InstallInTeam());
        await host.SendAsync(host.Activities.InstallPersonal(TestUser.CoachPatel));
        await host.Cloud.WaitForCallsAsync(2);
        var directory = host.Services.GetRequiredService<TeamDirectory>();
        directory.LinkChannel(directory.FindTeam(TestOrganisation.Ward7)!, TestActivities.TeamThreadId, null, Setup);
        host.Cloud.ClearCalls();
    }

    /// <summary>Sets the clock and ticks, moving the clock on while the sender paces its lanes.</summary>
    internal static async Task<RhythmTickResult> TickAtAsync(BotTestHost host, FakeTimeProvider time, DateTimeOffset at)
    {
        if (at > time.GetUtcNow()) time.SetUtcNow(at);
        var tick = host.Services.GetRequiredService<RhythmRunner>().TickAsync(CancellationToken.None);
        while (!tick.IsCompleted)
        {
            // Slowly enough that a loopback call's real latency is small against Teams' windows.
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.WhenAny(tick, Task.Delay(2));
        }
        return await tick;
    }

    internal static void Submit(BotTestHost host, string teamId, IsoWeek week)
    {
        var values = new Dictionary<string, double?> { ["falls"] = 1 };
        host.Services.GetRequiredService<SubmissionStore>().Submit(teamId, week,
            new SubmissionProposal(values, null, new Submitter(TestUser.NurseJones.AadObjectId, TestUser.NurseJones.Name), 0), "test");
    }

    internal static List<ConnectorCall> AcceptedPosts(BotTestHost host) => AcceptedPosts(host.Cloud);

    internal static List<ConnectorCall> AcceptedPosts(FakeBotFrameworkCloud cloud) =>
        cloud.Calls.Where(c => c.Method == "POST" && c.ConversationId is not null && !c.Path.Contains(" -> ", StringComparison.Ordinal)).ToList();

    /// <summary>Which rhythm message a posted activity is, from what it carries.</summary>
    internal static string Describe(ConnectorCall call)
    {
        var text = call.Body?["text"]?.GetValue<string>() ?? string.Empty;
        var card = call.Card?.ToJsonString() ?? string.Empty;
        if (card.Contains(CaptureVerbs.SubmitWeek, StringComparison.Ordinal)) return "prompt";
        if (text.Contains("are not in yet", StringComparison.Ordinal)) return "reminder";
        if (text.Contains("deadline has passed", StringComparison.Ordinal) || text.Contains("the deadline", StringComparison.Ordinal)) return "escalation";
        var summary = call.Body?["summary"]?.GetValue<string>() ?? string.Empty;
        if (summary.Contains("report-out", StringComparison.Ordinal)) return "reportout";
        if (card.Length > 0) return "boxscore";
        return "other: " + (call.Body as JsonObject)?.ToJsonString();
    }
}

/// <summary>The real Hangfire server with SQLite job storage on a temporary file ticks the rhythm, across a restart.</summary>
public sealed class RhythmHangfireTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    [Fact]
    public async Task HangfireOnSqlite_TicksThePromptOnce_AndARestartOnTheSameFilesDoesNotRepeatIt()
    {
        var monday = new DateTimeOffset(2026, 12, 7, 9, 5, 0, TimeSpan.Zero);
        // Linked an hour before: a channel linked after the 09:00 prompt would get the next week's.
        var time = new FakeTimeProvider(monday.AddHours(-1));
        var settings = new Dictionary<string, string?>
        {
            ["Scheduling:Enabled"] = "true",
            ["Scheduling:Storage"] = "Sqlite",
            ["Scheduling:SqlitePath"] = Path.Combine(environment.Directory, "jobs-" + Guid.NewGuid().ToString("N") + ".db"),
            ["Scheduling:PollInterval"] = "00:00:00.200",
        };
        var databasePath = environment.NewDatabasePath();
        using var stopClock = new CancellationTokenSource();
        // The sender paces on the host's clock: keep the fake clock moving while Hangfire runs on real time.
        var clock = Task.Run(async () =>
        {
            while (!stopClock.IsCancellationRequested)
            {
                time.Advance(TimeSpan.FromMilliseconds(20));
                await Task.Delay(10, CancellationToken.None);
            }
        });

        await using (var host = environment.StartHost(settings, services => services.AddSingleton<TimeProvider>(time), databasePath))
        {
            // Linking before the first tick is what matters; the tick triggered at start may find nothing linked yet.
            await RhythmTests.LinkAsync(host);
            time.SetUtcNow(monday);
            host.Services.GetRequiredService<Hangfire.IRecurringJobManager>().Trigger(RhythmTickJob.RecurringJobId);
            var prompt = await host.Cloud.WaitForCallsAsync(1, c => c.Method == "POST" && c.ConversationId == TestActivities.TeamThreadId && RhythmTests.Describe(c) == "prompt", TimeSpan.FromSeconds(60));
            Assert.Single(prompt);
            // The occurrence is recorded just after the Connector accepted the message.
            var state = host.Services.GetRequiredService<RhythmStateStore>();
            var recorded = DateTime.UtcNow.AddSeconds(30);
            while (state.Find(RhythmKind.Prompt, TestOrganisation.Ward7, new IsoWeek(2026, 49)) is null && DateTime.UtcNow < recorded) await Task.Delay(50);
            Assert.Equal(RhythmOutcome.Sent, state.Find(RhythmKind.Prompt, TestOrganisation.Ward7, new IsoWeek(2026, 49))?.Outcome);
        }

        await using (var again = environment.StartHost(settings, services => services.AddSingleton<TimeProvider>(time), databasePath, resetCloud: false))
        {
            again.Cloud.ClearCalls();
            _ = again.Services; // starts the host: the registration triggers a tick at once
            var runner = again.Services.GetRequiredService<RhythmRunner>();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (runner.LastTickAt is null && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.NotNull(runner.LastTickAt);
            Assert.DoesNotContain(RhythmTests.AcceptedPosts(again), c => RhythmTests.Describe(c) == "prompt");
        }
        await stopClock.CancelAsync();
        await clock;
    }
}
