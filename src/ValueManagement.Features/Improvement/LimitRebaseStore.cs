using ValueManagement.Core.Improvement;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Improvement;

/// <summary>
/// A coach's confirmation that a measure's limits start afresh from a week, after a test of change was
/// adopted. Box scores, charts and report-outs of that team and measure compute limits from it.
/// </summary>
public sealed record LimitRebase
{
    /// <summary><c>team|measure|week</c>: a measure is rebased from a week once.</summary>
    public required string Id { get; init; }
    public required string TeamId { get; init; }
    public required string MeasureKey { get; init; }

    /// <summary>The ISO week the new period starts, e.g. 2026-W49.</summary>
    public required string Week { get; init; }

    /// <summary>The adopted test of change that prompted it, e.g. P3.</summary>
    public required string TestOfChangeId { get; init; }

    public required DateTimeOffset At { get; init; }
    public required string By { get; init; }
    public required string ByName { get; init; }

    public IsoWeek StartWeek() => IsoWeek.ParseStored(Week);

    public static string IdOf(string teamId, string measureKey, IsoWeek week) => $"{teamId}|{measureKey}|{week}";
}

/// <summary>
/// The confirmed rebases, one document each, with an audit entry per change in the same transaction.
/// Undoing one deletes it (the audit trail keeps who rebased and who undid it).
/// </summary>
public sealed class LimitRebaseStore(IDocumentDatabase database, AuditLog audit, TimeProvider time)
{
    public const string AuditSubject = "limit-rebase";

    public static readonly DocumentCollection<LimitRebase> Stored = new(Collections.LimitRebases, r => r.Id, nameof(LimitRebase.TeamId));

    private IDocumentCollection<LimitRebase> Rebases => database.Collection(Stored);

    public IReadOnlyList<LimitRebase> ForTeam(string teamId) =>
        Rebases.Where(r => r.TeamId, teamId).OrderBy(r => r.MeasureKey, StringComparer.Ordinal).ThenBy(r => r.Week, StringComparer.Ordinal).ToList();

    /// <summary>Per measure, the weeks its limits start afresh, for the box score and charts.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IsoWeek>> WeeksByMeasure(string teamId) =>
        ByMeasure(ForTeam(teamId));

    /// <summary><see cref="WeeksByMeasure(string)"/> of many teams in one read (a roll-up); teams without rebases are left out.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<IsoWeek>>> WeeksByMeasure(IReadOnlyCollection<string> teamIds) =>
        Rebases.WhereIn(r => r.TeamId, teamIds)
            .GroupBy(r => r.TeamId, StringComparer.Ordinal)
            .ToDictionary(
                team => team.Key,
                team => ByMeasure(team),
                StringComparer.Ordinal);

    /// <summary>One team's rebases by measure, each measure's weeks in order.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<IsoWeek>> ByMeasure(IEnumerable<LimitRebase> rebases) =>
        rebases.GroupBy(r => r.MeasureKey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<IsoWeek>)g.Select(r => r.StartWeek()).Order().ToList(), StringComparer.Ordinal);

    /// <summary>Stores the rebase; false (nothing written) when the measure is already rebased from that week.</summary>
    public bool Add(TestOfChange test, IsoWeek week, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(test);
        if (test.MeasureKey is not { } measureKey) throw new ArgumentException("A test of change without a measure has no limits to rebase.", nameof(test));
        var rebase = new LimitRebase
        {
            Id = LimitRebase.IdOf(test.TeamId, measureKey, week),
            TeamId = test.TeamId,
            MeasureKey = measureKey,
            Week = week.ToString(),
            TestOfChangeId = test.Id.ToString(),
            At = time.GetUtcNow(),
            By = actor.Id,
            ByName = actor.Name,
        };
        return database.InTransaction(() =>
        {
            database.LockKey(LockFor(rebase.TeamId, measureKey));
            if (!Rebases.TryInsert(rebase)) return false;
            Audit(rebase, actor, "rebase", null, $"limits of {measureKey} from {rebase.Week} (after {rebase.TestOfChangeId})");
            return true;
        });
    }

    /// <summary>Removes the rebase that <paramref name="test"/> prompted; null when there is none.</summary>
    public LimitRebase? Undo(TestOfChange test, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(test);
        var id = test.Id.ToString();
        return database.InTransaction(() =>
        {
            if (test.MeasureKey is { } measureKey) database.LockKey(LockFor(test.TeamId, measureKey));
            var existing = Rebases.Where(r => r.TeamId, test.TeamId).Where(r => r.TestOfChangeId == id).OrderByDescending(r => r.At).FirstOrDefault();
            if (existing is null || !Rebases.Delete(existing.Id)) return null;
            Audit(existing, actor, "rebase-undo", $"limits of {existing.MeasureKey} from {existing.Week} (after {existing.TestOfChangeId})", null);
            return existing;
        });
    }

    private static string LockFor(string teamId, string measureKey) => $"limit-rebase:{teamId}|{measureKey}";

    private void Audit(LimitRebase rebase, Actor actor, string action, string? before, string? after) => audit.Append(new AuditEntry
    {
        At = time.GetUtcNow(),
        ActorId = actor.Id,
        ActorName = actor.Name,
        Subject = AuditSubject,
        SubjectId = rebase.Id,
        Action = action,
        Changes = [new AuditChange("rebase", before, after)],
        TeamId = rebase.TeamId,
    });
}
