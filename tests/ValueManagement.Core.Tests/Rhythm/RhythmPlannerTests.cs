using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.Rhythm;

public class RhythmPlannerTests
{
    private static readonly TeamClock London = TeamClock.Default;

    private sealed class RecordingState : IRhythmState
    {
        public HashSet<(string Team, IsoWeek Week)> Submitted { get; } = [];
        public HashSet<(RhythmKind, string, IsoWeek)> Done { get; } = [];
        public bool HasSubmitted(string teamId, IsoWeek week) => Submitted.Contains((teamId, week));
        public bool IsDone(RhythmKind kind, string teamId, IsoWeek week) => Done.Contains((kind, teamId, week));
    }

    /// <summary>Ticks every minute from <paramref name="from"/> to <paramref name="to"/>, doing whatever is due once.</summary>
    private static List<DueWork> Run(RhythmPlanner planner, IReadOnlyList<TeamRhythm> teams, RecordingState state,
        DateTimeOffset from, DateTimeOffset to, Action<DateTimeOffset>? everyMinute = null)
    {
        var sent = new List<DueWork>();
        for (var now = from; now <= to; now = now.AddMinutes(1))
        {
            everyMinute?.Invoke(now);
            foreach (var work in planner.Due(teams, now, state))
            {
                sent.Add(work);
                state.Done.Add((work.Kind, work.TeamId, work.Week));
            }
        }
        return sent;
    }

    private static RhythmPlanner Planner(HolidayCalendar? holidays = null) => new(holidays ?? HolidayCalendar.None, TimeSpan.FromHours(6));

    [Fact]
    public void Default_week_prompts_reminds_escalates_and_posts_once_at_local_times()
    {
        var team = new TeamRhythm("t1", London, TeamSchedule.Default);
        var state = new RecordingState();
        // 2026-W49 runs Mon 30 Nov to Sun 6 Dec; it reports on W48.
        var sent = Run(Planner(), [team], state, new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 6, 23, 0, 0, TimeSpan.Zero));

        var week = new IsoWeek(2026, 48);
        Assert.Equal(
            [
                (RhythmKind.Prompt, new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero)),
                (RhythmKind.Reminder, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero)),
                (RhythmKind.Escalation, new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)),
                (RhythmKind.BoxScore, new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)),
                (RhythmKind.ReportOut, new DateTimeOffset(2026, 12, 3, 13, 30, 0, TimeSpan.Zero)),
            ],
            sent.Select(s => (s.Kind, s.DueAtUtc)).ToArray());
        Assert.All(sent, s => Assert.Equal(week, s.Week));
    }

    [Fact]
    public void A_team_that_submitted_gets_no_reminder_or_escalation_and_its_box_score_at_once()
    {
        var team = new TeamRhythm("t1", London, TeamSchedule.Default);
        var state = new RecordingState();
        var submittedAt = new DateTimeOffset(2026, 11, 30, 11, 17, 0, TimeSpan.Zero);
        var sent = Run(Planner(), [team], state, new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 4, 0, 0, 0, TimeSpan.Zero),
            now => { if (now == submittedAt) state.Submitted.Add(("t1", new IsoWeek(2026, 48))); });

        Assert.Equal([RhythmKind.Prompt, RhythmKind.BoxScore, RhythmKind.ReportOut], sent.Select(s => s.Kind).ToArray());
        Assert.Equal(submittedAt, sent[1].DueAtUtc);
    }

    [Theory]
    [InlineData(2027, 3, 28)]   // spring forward: 01:30 does not exist
    [InlineData(2027, 10, 31)]  // fall back: 01:30 happens twice
    public void A_time_inside_a_clock_change_fires_exactly_once(int year, int month, int day)
    {
        var sunday = new WeeklyTime(DayOfWeek.Sunday, new TimeOnly(1, 30));
        var schedule = TeamSchedule.Default with { Prompt = sunday, Reminder = sunday, Deadline = new WeeklyTime(DayOfWeek.Sunday, new TimeOnly(2, 30)) };
        var team = new TeamRhythm("t1", London, schedule);
        var state = new RecordingState();
        var changeDay = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);

        var sent = Run(Planner(), [team], state, changeDay.AddDays(-8), changeDay.AddDays(8));

        var prompts = sent.Where(s => s.Kind == RhythmKind.Prompt).ToList();
        Assert.True(prompts.Count == 3, string.Join("; ", prompts));
        Assert.Equal(3, prompts.Count); // the Sunday before, the change day, the Sunday after
        Assert.Equal(prompts.Count, prompts.Select(p => p.Week).Distinct().Count());
        var onChangeDay = prompts.Single(p => p.DueAtUtc.Date == changeDay.Date);
        // Gap: runs at 02:00 BST (01:00 UTC). Overlap: runs at the first 01:30, BST (00:30 UTC).
        Assert.Equal(month == 3 ? new TimeSpan(1, 0, 0) : new TimeSpan(0, 30, 0), onChangeDay.DueAtUtc.TimeOfDay);
        Assert.Equal(3, sent.Count(s => s.Kind == RhythmKind.Reminder));
    }

    [Fact]
    public void A_holiday_on_the_prompt_day_moves_prompt_reminder_and_deadline_and_a_holiday_report_out_is_not_reminded()
    {
        // Easter Monday 2027-03-29 is not a Scottish bank holiday; use the Christmas week: 2026-12-28 (Mon) is a holiday.
        var holidays = new HolidayCalendar([new DateOnly(2026, 12, 28), new DateOnly(2026, 12, 31)]);
        var team = new TeamRhythm("t1", London, TeamSchedule.Default);
        var sent = Run(Planner(holidays), [team], new RecordingState(), new DateTimeOffset(2026, 12, 28, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 1, 3, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(
            [
                (RhythmKind.Prompt, new DateTimeOffset(2026, 12, 29, 9, 0, 0, TimeSpan.Zero)),
                (RhythmKind.Reminder, new DateTimeOffset(2026, 12, 30, 10, 0, 0, TimeSpan.Zero)),
                (RhythmKind.Escalation, new DateTimeOffset(2026, 12, 30, 12, 0, 0, TimeSpan.Zero)),
                (RhythmKind.BoxScore, new DateTimeOffset(2026, 12, 30, 12, 0, 0, TimeSpan.Zero)),
            ],
            sent.Select(s => (s.Kind, s.DueAtUtc)).ToArray());
    }

    [Fact]
    public void Downtime_within_the_catch_up_window_is_made_up_and_a_changed_schedule_counts_from_its_next_occurrence()
    {
        var team = new TeamRhythm("t1", London, TeamSchedule.Default);
        var planner = Planner();
        var state = new RecordingState();
        // Down from 08:00 to 11:00 on Monday: the 09:00 prompt goes out at 11:00.
        var due = planner.Due([team], new DateTimeOffset(2026, 11, 30, 11, 0, 0, TimeSpan.Zero), state);
        Assert.Equal(RhythmKind.Prompt, Assert.Single(due).Kind);

        // Moving the prompt later in the same week, after it went out, does not send it again.
        state.Done.Add((RhythmKind.Prompt, "t1", new IsoWeek(2026, 48)));
        var moved = team with { Schedule = TeamSchedule.Default with { Prompt = new WeeklyTime(DayOfWeek.Monday, new TimeOnly(11, 30)) } };
        Assert.Empty(planner.Due([moved], new DateTimeOffset(2026, 11, 30, 11, 45, 0, TimeSpan.Zero), state));
    }

    [Fact]
    public void An_occurrence_counts_only_under_the_schedule_in_force_at_its_instant()
    {
        // Monday 30 Nov 2026 (GMT): the prompt moved at 15:17 from 16:00 to 10:00.
        var monday = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
        var before = TeamSchedule.Default with { Prompt = new WeeklyTime(DayOfWeek.Monday, new TimeOnly(16, 0)) };
        var after = new TeamRhythm("t1", London, TeamSchedule.Default with { Prompt = new WeeklyTime(DayOfWeek.Monday, new TimeOnly(10, 0)) })
        {
            ScheduleFrom = monday.AddHours(15).AddMinutes(17),
            Earlier = [new ScheduleInForce(before, null)],
        };
        var planner = Planner();
        var state = new RecordingState();
        // Neither the 10:00 (past at the change) nor the 16:00 (no longer in force) is due this week.
        Assert.DoesNotContain(planner.Due([after], monday.AddHours(16), state), d => d.Kind == RhythmKind.Prompt);
        Assert.Equal(monday.AddDays(7).AddHours(10), planner.NextRuns(after, monday.AddHours(16))[RhythmKind.Prompt]);

        // Moved at 16:05 from 16:00 (due, not yet sent) to 10:00: the 16:00 one is still owed, once.
        var owed = after with { ScheduleFrom = monday.AddHours(16).AddMinutes(5) };
        Assert.Equal(monday.AddHours(16), Assert.Single(planner.Due([owed], monday.AddHours(16).AddMinutes(6), state), d => d.Kind == RhythmKind.Prompt).DueAtUtc);
    }

    [Fact]
    public void Two_hundred_teams_are_each_prompted_once_and_reminded_once_iff_not_submitted()
    {
        var teams = Enumerable.Range(0, 200).Select(i => new TeamRhythm($"t{i}", London, TeamSchedule.Default)).ToList();
        var state = new RecordingState();
        var week = new IsoWeek(2026, 48);
        foreach (var team in teams.Where((_, i) => i % 3 == 0)) state.Submitted.Add((team.TeamId, week));

        var sent = Run(Planner(), teams, state, new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 12, 1, 13, 0, 0, TimeSpan.Zero));

        Assert.All(teams, t => Assert.Single(sent, s => s.TeamId == t.TeamId && s.Kind == RhythmKind.Prompt));
        Assert.All(teams, t => Assert.Single(sent, s => s.TeamId == t.TeamId && s.Kind == RhythmKind.BoxScore));
        Assert.All(teams, t => Assert.Equal(state.Submitted.Contains((t.TeamId, week)) ? 0 : 1, sent.Count(s => s.TeamId == t.TeamId && s.Kind == RhythmKind.Reminder)));
    }

    [Fact]
    public void Next_runs_are_the_coming_instants()
    {
        var team = new TeamRhythm("t1", London, TeamSchedule.Default);
        var next = Planner().NextRuns(team, new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero), next[RhythmKind.Prompt]);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), next[RhythmKind.Escalation]);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 13, 30, 0, TimeSpan.Zero), next[RhythmKind.ReportOut]);
    }
}
