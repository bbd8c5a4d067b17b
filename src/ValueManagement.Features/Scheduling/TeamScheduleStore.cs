using LiteDB;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Scheduling;

/// <summary>The part of a team's schedule a coach can change.</summary>
public enum ScheduleSlot
{
    Prompt,
    Reminder,
    Deadline,
    ReportOut,
}

/// <summary>
/// A team's schedule as stored (collection <c>team_schedules</c>); teams without one keep the default.
/// <see cref="EffectiveFrom"/> is when it took effect (null: stored before that was recorded, in force
/// all along) and <see cref="Earlier"/> the schedules before it, oldest first, for the catch-up window.
/// </summary>
public sealed record StoredTeamSchedule
{
    [BsonId]
    public required string TeamId { get; init; }
    public required string Prompt { get; init; }
    public required string Reminder { get; init; }
    public required string Deadline { get; init; }
    public required string ReportOut { get; init; }
    public int ReportOutReminderLeadMinutes { get; init; }
    public DateTimeOffset? EffectiveFrom { get; init; }
    public List<StoredTeamSchedule> Earlier { get; init; } = [];

    public TeamSchedule ToSchedule() => new(
        WeeklyTime.Parse(Prompt), WeeklyTime.Parse(Reminder), WeeklyTime.Parse(Deadline), WeeklyTime.Parse(ReportOut),
        TimeSpan.FromMinutes(ReportOutReminderLeadMinutes));

    public static StoredTeamSchedule From(string teamId, TeamSchedule schedule) => new()
    {
        TeamId = teamId,
        Prompt = schedule.Prompt.ToString(),
        Reminder = schedule.Reminder.ToString(),
        Deadline = schedule.Deadline.ToString(),
        ReportOut = schedule.ReportOut.ToString(),
        ReportOutReminderLeadMinutes = (int)schedule.ReportOutReminderLead.TotalMinutes,
    };

    /// <summary>The team's rhythm under this schedule and the earlier ones still within reach of catch-up.</summary>
    public TeamRhythm ToRhythm(string teamId, TeamClock clock) => new(teamId, clock, ToSchedule())
    {
        ScheduleFrom = EffectiveFrom,
        Earlier = Earlier.Select(e => new ScheduleInForce(e.ToSchedule(), e.EffectiveFrom)).ToList(),
    };
}

/// <summary>
/// Each team's weekly times. A change takes effect from its next occurrence and is audited: each
/// schedule records when it took effect, and the one it replaced is kept as long as catch-up could
/// still ask what was in force then.
/// </summary>
public sealed class TeamScheduleStore(IDocumentDatabase database, AuditLog audit, TimeProvider time)
{
    public static readonly DocumentCollection<StoredTeamSchedule> Stored = new(Collections.TeamSchedules, s => s.TeamId);

    /// <summary>Longer than the longest catch-up window (<see cref="SchedulingOptions.CatchUpWindow"/>, at most 2 days) plus a cycle.</summary>
    private static readonly TimeSpan KeepReplacedFor = TimeSpan.FromDays(14);

    private IDocumentCollection<StoredTeamSchedule> Schedules => database.Collection(Stored);

    public TeamSchedule For(string teamId) => Find(teamId)?.ToSchedule() ?? TeamSchedule.Default;

    public StoredTeamSchedule? Find(string teamId) => Schedules.Find(teamId);

    /// <summary>The stored schedules by team; a team without one has the default, in force all along.</summary>
    public IReadOnlyDictionary<string, StoredTeamSchedule> All() =>
        Schedules.All().ToDictionary(s => s.TeamId, StringComparer.Ordinal);

    public static TeamRhythm Rhythm(string teamId, TeamClock clock, StoredTeamSchedule? stored) =>
        stored?.ToRhythm(teamId, clock) ?? new TeamRhythm(teamId, clock, TeamSchedule.Default);

    /// <summary>
    /// The schedule with one slot moved, or why that is impossible: within the week of the cycle the
    /// prompt comes first, the reminder after it and no later than the deadline, and the report-out
    /// (less its reminder lead) after the prompt.
    /// </summary>
    public static (TeamSchedule? Schedule, string? Problem) Change(TeamSchedule current, ScheduleSlot slot, WeeklyTime time)
    {
        var changed = slot switch
        {
            ScheduleSlot.Prompt => current with { Prompt = time },
            ScheduleSlot.Reminder => current with { Reminder = time },
            ScheduleSlot.Deadline => current with { Deadline = time },
            _ => current with { ReportOut = time },
        };
        static int Minutes(WeeklyTime t) => ((int)t.Day + 6) % 7 * 1440 + t.Time.Hour * 60 + t.Time.Minute;
        var prompt = Minutes(changed.Prompt);
        var reminder = Minutes(changed.Reminder);
        var deadline = Minutes(changed.Deadline);
        var reportOutReminder = Minutes(changed.ReportOut) - (int)changed.ReportOutReminderLead.TotalMinutes;
        if (reminder <= prompt)
            return (null, $"The reminder ({Describe(changed.Reminder)}) must come after the prompt ({Describe(changed.Prompt)}) in the same week (Monday to Sunday).");
        if (deadline < reminder)
            return (null, $"The deadline ({Describe(changed.Deadline)}) can't be before the reminder ({Describe(changed.Reminder)}).");
        if (reportOutReminder <= prompt)
            return (null, $"The report-out ({Describe(changed.ReportOut)}) must be later in the week than the prompt ({Describe(changed.Prompt)}), with {changed.ReportOutReminderLead.TotalMinutes:0} minutes to spare for its reminder.");
        return (changed, null);
    }

    public static string Describe(WeeklyTime time) => $"{time.Day} {time.Time:HH\\:mm}";

    public void Save(string teamId, TeamSchedule schedule, Actor actor)
    {
        var now = time.GetUtcNow();
        var before = Schedules.Find(teamId) ?? StoredTeamSchedule.From(teamId, TeamSchedule.Default);
        // The replaced schedule was in force until now; one replaced long ago can no longer matter.
        var replaced = before.Earlier.Append(before with { Earlier = [] }).ToList();
        var earlier = replaced
            .Where((_, i) => (i + 1 < replaced.Count ? replaced[i + 1].EffectiveFrom : now) is not { } until || until > now - KeepReplacedFor)
            .ToList();
        var after = StoredTeamSchedule.From(teamId, schedule) with { EffectiveFrom = now, Earlier = earlier };
        var changes = new List<AuditChange>();
        void Compare(string field, string old, string @new)
        {
            if (old != @new) changes.Add(new AuditChange(field, old, @new));
        }
        Compare("prompt", before.Prompt, after.Prompt);
        Compare("reminder", before.Reminder, after.Reminder);
        Compare("deadline", before.Deadline, after.Deadline);
        Compare("reportout", before.ReportOut, after.ReportOut);
        if (changes.Count == 0) return;

        database.InTransaction(() =>
        {
            Schedules.Upsert(after);
            audit.Append(new AuditEntry
            {
                At = now,
                ActorId = actor.Id,
                ActorName = actor.Name,
                Subject = "schedule",
                SubjectId = teamId,
                Action = "change",
                TeamId = teamId,
                Changes = changes,
            });
        });
    }
}
