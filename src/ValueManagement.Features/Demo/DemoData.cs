using ValueManagement.Core.Improvement;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Core.Text;

namespace ValueManagement.Features.Demo;

/// <summary>What <see cref="DemoData.Load"/> wrote.</summary>
public sealed record DemoLoadResult(int Teams, int Roles, IsoWeek FirstWeek, IsoWeek LastWeek, int Revisions)
{
    public override string ToString() =>
        $"{Teams} teams, {Roles} roles and {DemoHistory.Weeks} weeks of figures ({FirstWeek} to {LastWeek}, {Revisions} revisions)";
}

/// <summary>The data file already holds an organisation or figures; demo data goes only into an empty one.</summary>
public sealed class DemoDataRefusedException(string message) : InvalidOperationException(message);

/// <summary>
/// Loads the demo organisation (<see cref="DemoOrganisation"/>) and a year of weekly figures
/// (<see cref="DemoHistory"/>) ending with the last completed week, through the normal stores, so
/// the audit trail shows the demo actor did it. Only into an empty data file, and in one
/// transaction: a failure leaves the file empty.
/// </summary>
public static class DemoData
{
    public static Actor Actor { get; } = new("system:demo", "Demo data");

    /// <summary>Who entered the demo's weekly figures.</summary>
    public static Submitter Team { get; } = new("system:demo", "Demo data");

    /// <summary>Who brought the demo's pay and non-pay cost, as a finance extract would.</summary>
    public static Submitter Finance { get; } = new("system:demo", "Demo data (finance extract)");

    /// <summary>Whether the file holds no organisation, no imported measure set and no figures.</summary>
    public static bool IsEmpty(IDocumentDatabase database) => Contents(database).Count == 0;

    /// <exception cref="DemoDataRefusedException">The data file is not empty.</exception>
    public static DemoLoadResult Load(IDocumentDatabase database, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(time);
        var contents = Contents(database);
        if (contents.Count > 0)
        {
            throw new DemoDataRefusedException(
                $"The data file {database.Description} is not empty (it holds {string.Join(", ", contents)}): demo data is only loaded into an empty data file. "
                + "Use a new file, for example: vm demo load --db data/demo.db");
        }

        var now = time.GetUtcNow();
        var clock = TeamClock.Default; // every demo team is on UK time
        var lastWeek = clock.LastCompletedWeek(now);
        var history = DemoHistory.Generate(lastWeek);

        var audit = new AuditLog(database);
        var directory = new TeamDirectory(database, audit, time);
        // Figures are dated as if they had been sent at the time: Monday morning after the week
        // for the team, Wednesday afternoon for the finance extract (never later than now).
        var backdated = new SettableTime(now);
        var submissions = new SubmissionStore(database, audit, backdated);

        var revisions = 0;
        database.InTransaction(() =>
        {
            directory.ReplaceAll(DemoOrganisation.Setup, Actor);
            // Not every team's year ends with the same week (DemoHistory.LastWeekNotEntered).
            foreach (var week in history.SelectMany(team => team.Weeks).Select(w => w.Week).Distinct().Order())
            {
                var weeks = history.SelectMany(team => team.Weeks.Where(w => w.Week == week).Select(w => (team.TeamId, Figures: w))).ToList();

                backdated.Now = Min(clock.ToUtc(week.Next().Monday, new TimeOnly(10, 0)), now);
                revisions += submissions.SubmitMany(
                    weeks.Select(w => new SubmissionBatchItem(w.TeamId, week, new SubmissionProposal(w.Figures.Entered, w.Figures.Comment, Team, 0))).ToList(),
                    "demo").Count;

                backdated.Now = Min(clock.ToUtc(week.Next().Monday.AddDays(2), new TimeOnly(15, 0)), now);
                revisions += submissions.SubmitMany(
                    weeks.Where(w => w.Figures.Imported.Count > 0)
                        .Select(w => new SubmissionBatchItem(w.TeamId, week, new SubmissionProposal(w.Figures.Imported, w.Figures.Comment, Finance, 1)))
                        .ToList(),
                    "demo finance extract").Count;
            }

            AddAdoptedChanges(database, audit, backdated, clock, DemoHistory.WeeksEndingWith(lastWeek), now);
        });

        var weeksLoaded = DemoHistory.WeeksEndingWith(lastWeek);
        return new DemoLoadResult(DemoOrganisation.Setup.Teams.Count, DemoOrganisation.Setup.Roles.Count, weeksLoaded[0], weeksLoaded[^1], revisions);
    }

    /// <summary>What the file holds, in words ("6 teams", "312 weeks of figures"); empty when there is nothing.</summary>
    private static List<string> Contents(IDocumentDatabase database)
    {
        var contents = new List<string>();
        void Count(int count, string singular, string plural)
        {
            if (count > 0) contents.Add(Plural.Count(count, singular, plural));
        }
        Count(database.Collection(TeamDirectory.StoredBoards).Count(), "board", "boards");
        Count(database.Collection(TeamDirectory.StoredServices).Count(), "service", "services");
        Count(database.Collection(TeamDirectory.StoredTeams).Count(), "team", "teams");
        Count(database.Collection(TeamDirectory.StoredRoles).Count(), "role", "roles");
        Count(database.Collection(MeasureSetStore.Stored).Count(), "measure set", "measure sets");
        Count(database.Collection(SubmissionStore.StoredWeeks).Count(), "week of figures", "weeks of figures");
        return contents;
    }

    /// <summary>
    /// Each of <see cref="DemoHistory.AdoptedChanges"/> as the coach would have made it: the test started (Monday of its
    /// first week), adopted (Wednesday of its week) and the limits rebased from that week (the Monday after).
    /// </summary>
    private static void AddAdoptedChanges(IDocumentDatabase database, AuditLog audit, SettableTime backdated, TeamClock clock, IReadOnlyList<IsoWeek> weeks, DateTimeOffset now)
    {
        var tests = new TestOfChangeStore(database, audit, backdated);
        var rebases = new LimitRebaseStore(database, audit, backdated);
        foreach (var change in DemoHistory.AdoptedChanges)
        {
            var coach = new Actor(change.CoachId, change.CoachName);
            backdated.Now = Min(clock.ToUtc(weeks[change.StartedAt].Monday, new TimeOnly(11, 0)), now);
            var started = tests.Add(change.TeamId, change.Title, change.MeasureKey, coach).Value
                ?? throw new InvalidOperationException($"The demo's test of change \"{change.Title}\" was refused.");
            backdated.Now = Min(clock.ToUtc(weeks[change.AdoptedAt].Monday.AddDays(2), new TimeOnly(11, 0)), now);
            var adopted = tests.SetStatus(started, TestOfChangeStatus.Adopted, coach).Value
                ?? throw new InvalidOperationException($"The demo's test of change \"{change.Title}\" could not be adopted.");
            backdated.Now = Min(clock.ToUtc(weeks[change.AdoptedAt].Next().Monday, new TimeOnly(11, 0)), now);
            rebases.Add(adopted, weeks[change.AdoptedAt], coach);
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    /// <summary>The time the demo's revisions are dated with.</summary>
    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
