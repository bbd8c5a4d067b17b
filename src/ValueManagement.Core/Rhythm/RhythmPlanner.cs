using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Rhythm;

/// <summary>The messages of a team's weekly cycle. Their names are the delivery-key kinds.</summary>
public enum RhythmKind
{
    Prompt,
    Reminder,
    Escalation,
    BoxScore,
    ReportOut,
}

public static class RhythmKindNames
{
    /// <summary>The kind as written in a delivery key: prompt, reminder, escalation, boxscore, reportout.</summary>
    public static string KeyName(this RhythmKind kind) => kind switch
    {
        RhythmKind.Prompt => "prompt",
        RhythmKind.Reminder => "reminder",
        RhythmKind.Escalation => "escalation",
        RhythmKind.BoxScore => "boxscore",
        RhythmKind.ReportOut => "reportout",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>A team's weekly times, in the team's local time.</summary>
public sealed record TeamSchedule(WeeklyTime Prompt, WeeklyTime Reminder, WeeklyTime Deadline, WeeklyTime ReportOut, TimeSpan ReportOutReminderLead)
{
    public static TeamSchedule Default { get; } = new(
        new WeeklyTime(DayOfWeek.Monday, new TimeOnly(9, 0)),
        new WeeklyTime(DayOfWeek.Tuesday, new TimeOnly(10, 0)),
        new WeeklyTime(DayOfWeek.Tuesday, new TimeOnly(12, 0)),
        new WeeklyTime(DayOfWeek.Thursday, new TimeOnly(14, 0)),
        TimeSpan.FromMinutes(30));
}

/// <summary>A schedule a team had, and the instant it took effect (null: in force all along).</summary>
public sealed record ScheduleInForce(TeamSchedule Schedule, DateTimeOffset? From);

/// <summary>
/// What the planner needs to know about one team: its schedule, since when it is in force
/// (<see cref="ScheduleFrom"/>, null: all along), and the schedules before it, oldest first, each in
/// force until the next took effect.
/// </summary>
public sealed record TeamRhythm(string TeamId, TeamClock Clock, TeamSchedule Schedule)
{
    public DateTimeOffset? ScheduleFrom { get; init; }

    public IReadOnlyList<ScheduleInForce> Earlier { get; init; } = [];

    /// <summary>Each schedule with the span it was in force: [From, Until).</summary>
    internal IEnumerable<(TeamSchedule Schedule, DateTimeOffset From, DateTimeOffset Until)> Spans()
    {
        var all = Earlier.Append(new ScheduleInForce(Schedule, ScheduleFrom)).ToList();
        for (var i = 0; i < all.Count; i++)
            yield return (all[i].Schedule, all[i].From ?? DateTimeOffset.MinValue, i + 1 < all.Count ? all[i + 1].From ?? DateTimeOffset.MinValue : DateTimeOffset.MaxValue);
    }
}

/// <summary>One message of one team's cycle that is due: <paramref name="Week"/> is the week reported on.</summary>
public sealed record DueWork(RhythmKind Kind, string TeamId, IsoWeek Week, DateTimeOffset DueAtUtc);

/// <summary>Answers the questions the planner asks about the outside world, without I/O of its own.</summary>
public interface IRhythmState
{
    bool HasSubmitted(string teamId, IsoWeek week);

    /// <summary>True once every message of this kind for the team and week is on record as sent.</summary>
    bool IsDone(RhythmKind kind, string teamId, IsoWeek week);
}

/// <summary>
/// What is due now: a pure function of the schedules, the time and the state. The cycle for week W
/// (the week reported on) runs in week W+1: prompt, reminder and deadline (moved together to the next
/// working day when the prompt day is a holiday), the box score when W is in or at the deadline, and
/// the report-out reminder (none when the report-out falls on a holiday). Each message has exactly one
/// instant per cycle, computed from the local date (gap → after, overlap → first), so a clock change
/// can neither repeat nor skip it; what is already done is asked of <see cref="IRhythmState"/>.
/// An occurrence counts only under the schedule in force at its instant: a change applies from the
/// next occurrence after it, and catch-up never sends one that became past by the change itself.
/// </summary>
public sealed class RhythmPlanner(HolidayCalendar holidays, TimeSpan catchUpWindow)
{
    public TimeSpan CatchUpWindow { get; } = catchUpWindow;

    public IReadOnlyList<DueWork> Due(IEnumerable<TeamRhythm> teams, DateTimeOffset nowUtc, IRhythmState state)
    {
        ArgumentNullException.ThrowIfNull(teams);
        ArgumentNullException.ThrowIfNull(state);
        var due = new List<DueWork>();
        foreach (var team in teams)
        {
            var current = team.Clock.CurrentWeek(nowUtc);
            // The cycle of the week just ended, and the one before it for catch-up across a week boundary.
            foreach (var reported in new[] { current.AddWeeks(-2), current.Previous() })
            {
                var inForce = InForce(team, reported);
                // The cycle starts with its prompt (under the schedule now, or one in force when it was due).
                var started = Occurrences(team, reported).First(o => o.Kind == RhythmKind.Prompt).At <= nowUtc
                    || inForce.TryGetValue(RhythmKind.Prompt, out var prompts) && prompts[0] <= nowUtc;
                if (!started) continue;
                var submitted = state.HasSubmitted(team.TeamId, reported);
                foreach (var (kind, instants) in inForce)
                {
                    bool Wanted(DateTimeOffset at) => kind switch
                    {
                        // The box score goes out as soon as the week is in, or at the deadline.
                        RhythmKind.BoxScore => (submitted || at <= nowUtc) && at > nowUtc - CatchUpWindow,
                        RhythmKind.Reminder or RhythmKind.Escalation => !submitted && at <= nowUtc && at > nowUtc - CatchUpWindow,
                        _ => at <= nowUtc && at > nowUtc - CatchUpWindow,
                    };
                    // Two schedules may each have had an occurrence in force (moved later after it went): one message a week all the same.
                    if (instants.Where(Wanted).Select(at => (DateTimeOffset?)at).FirstOrDefault() is { } dueAt && !state.IsDone(kind, team.TeamId, reported))
                        due.Add(new DueWork(kind, team.TeamId, reported, kind == RhythmKind.BoxScore && dueAt > nowUtc ? nowUtc : dueAt));
                }
            }
        }
        return due;
    }

    /// <summary>
    /// The next instant of each kind strictly after <paramref name="nowUtc"/> (the report-out reminder
    /// included), skipping a week whose message of that kind already went (when <paramref name="state"/> is given).
    /// </summary>
    public IReadOnlyDictionary<RhythmKind, DateTimeOffset> NextRuns(TeamRhythm team, DateTimeOffset nowUtc, IRhythmState? state = null)
    {
        ArgumentNullException.ThrowIfNull(team);
        var next = new Dictionary<RhythmKind, DateTimeOffset>();
        var reported = team.Clock.CurrentWeek(nowUtc).AddWeeks(-2);
        for (var i = 0; i < 4; i++, reported = reported.Next())
            foreach (var (kind, at) in Occurrences(team, reported))
                if (at > nowUtc && !next.ContainsKey(kind) && state?.IsDone(kind, team.TeamId, reported) != true) next[kind] = at;
        return next;
    }

    /// <summary>For each kind, the instants of the cycle for <paramref name="reported"/> under the schedule in force at each, earliest first.</summary>
    private Dictionary<RhythmKind, List<DateTimeOffset>> InForce(TeamRhythm team, IsoWeek reported)
    {
        var inForce = new Dictionary<RhythmKind, List<DateTimeOffset>>();
        foreach (var (schedule, from, until) in team.Spans())
            foreach (var (kind, at) in Occurrences(team with { Schedule = schedule }, reported))
                if (at >= from && at < until)
                {
                    if (!inForce.TryGetValue(kind, out var instants)) inForce[kind] = instants = [];
                    instants.Add(at);
                }
        foreach (var instants in inForce.Values) instants.Sort();
        return inForce;
    }

    /// <summary>The instants of the cycle for <paramref name="reported"/>, in UTC.</summary>
    public IEnumerable<(RhythmKind Kind, DateTimeOffset At)> Occurrences(TeamRhythm team, IsoWeek reported)
    {
        ArgumentNullException.ThrowIfNull(team);
        var cycle = reported.Next();
        var schedule = team.Schedule;
        var promptDate = DateIn(cycle, schedule.Prompt.Day);
        // Only a holiday moves the cycle; a team that chose a weekend prompt day keeps it.
        var shift = holidays.IsHoliday(promptDate) ? holidays.WorkingDayOnOrAfter(promptDate).DayNumber - promptDate.DayNumber : 0;
        DateTimeOffset At(WeeklyTime time) => team.Clock.ToUtc(DateIn(cycle, time.Day).AddDays(shift), time.Time);

        yield return (RhythmKind.Prompt, At(schedule.Prompt));
        yield return (RhythmKind.Reminder, At(schedule.Reminder));
        var deadline = At(schedule.Deadline);
        yield return (RhythmKind.Escalation, deadline);
        yield return (RhythmKind.BoxScore, deadline);

        var reportOutDate = DateIn(cycle, schedule.ReportOut.Day);
        if (!holidays.IsHoliday(reportOutDate))
            yield return (RhythmKind.ReportOut, team.Clock.ToUtc(reportOutDate, schedule.ReportOut.Time) - schedule.ReportOutReminderLead);
    }

    private static DateOnly DateIn(IsoWeek week, DayOfWeek day) => week.Monday.AddDays(((int)day + 6) % 7);
}
