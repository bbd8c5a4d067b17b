using LiteDB;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Scheduling;

/// <summary>How one occurrence of a team's cycle ended.</summary>
public enum RhythmOutcome
{
    /// <summary>Every message of it is on record as sent.</summary>
    Sent,
    /// <summary>Nowhere to send it (no channel linked, nobody to tell). Reported by a tick, never recorded: it stays due.</summary>
    NoDestination,
    /// <summary>The conversations are gone or the bot was removed from them.</summary>
    Unreachable,
}

/// <summary>One occurrence (kind, team, week) of the weekly cycle that ran (collection <c>rhythm_runs</c>).</summary>
public sealed record RhythmRun
{
    /// <summary><c>kind|team|week</c>, e.g. <c>prompt|ward-7|2026-W48</c>.</summary>
    [BsonId]
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string TeamId { get; init; }
    public required string Week { get; init; }
    public DateTimeOffset DueAt { get; init; }
    public DateTimeOffset FinishedAt { get; init; }
    public RhythmOutcome Outcome { get; init; }
    public int Messages { get; init; }
    public string? Detail { get; init; }

    /// <summary>For a box score: the submission revision the posted card shows (it is updated in place when a later one comes).</summary>
    public int Revision { get; init; }

    public static string IdOf(RhythmKind kind, string teamId, IsoWeek week) => $"{kind.KeyName()}|{teamId}|{week}";
}

/// <summary>
/// What the planner asks of the outside world: has the team submitted, and has an occurrence already run.
/// An occurrence is recorded only once every one of its messages has an outcome the next tick need not
/// retry; each record is written with its audit entry in one transaction.
/// </summary>
public sealed class RhythmStateStore(IDocumentDatabase database, SubmissionStore submissions, AuditLog audit) : IRhythmState
{
    public static readonly Actor Scheduler = Actor.System("rhythm");

    public static readonly DocumentCollection<RhythmRun> Stored = new(Collections.RhythmRuns, r => r.Id, nameof(RhythmRun.TeamId), nameof(RhythmRun.FinishedAt));

    private IDocumentCollection<RhythmRun> Runs => database.Collection(Stored);

    public bool HasSubmitted(string teamId, IsoWeek week) => submissions.HasSubmission(teamId, week);

    public int LatestRevision(string teamId, IsoWeek week) => submissions.Load(teamId, week).LatestRevisionNumber;

    public bool IsDone(RhythmKind kind, string teamId, IsoWeek week) => Runs.Exists(RhythmRun.IdOf(kind, teamId, week));

    public RhythmRun? Find(RhythmKind kind, string teamId, IsoWeek week) => Runs.Find(RhythmRun.IdOf(kind, teamId, week));

    public IReadOnlyList<RhythmRun> ForTeam(string teamId) => Runs.Where(r => r.TeamId, teamId).OrderByDescending(r => r.FinishedAt).ToList();

    public IReadOnlyList<RhythmRun> Recent(int count) => Runs.Top(r => r.FinishedAt, count);

    public int Count() => Runs.Count();

    public void Record(RhythmRun run, string? action = null)
    {
        database.InTransaction(() =>
        {
            Runs.Upsert(run);
            audit.Append(new AuditEntry
            {
                At = run.FinishedAt,
                ActorId = Scheduler.Id,
                ActorName = Scheduler.Name,
                Subject = "rhythm",
                SubjectId = run.Id,
                Action = action ?? $"{run.Kind}-{run.Outcome.ToString().ToLowerInvariant()}",
                TeamId = run.TeamId,
                Changes = [new AuditChange("messages", null, run.Messages.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    new AuditChange("revision", null, run.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            });
        });
    }
}
