using LiteDB;
using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Capture;

/// <summary>
/// Weekly figures with every revision. A submission is applied, stored and audited in one
/// transaction under one lock, before anyone is told it was accepted.
/// </summary>
public sealed class SubmissionStore(IDocumentDatabase database, AuditLog audit, TimeProvider time)
{
    public static readonly DocumentCollection<StoredWeek> StoredWeeks = new(Collections.Submissions, w => w.Id, nameof(StoredWeek.TeamId), nameof(StoredWeek.Week));

    /// <summary>
    /// Each team's current values in one document (<see cref="CurrentValuesTable"/>), written in the same transaction
    /// as every revision: box scores and roll-ups read every week a team has, and one packed document per team costs
    /// a fraction of reading the submissions with all their revisions and audit details.
    /// </summary>
    public static readonly DocumentCollection<StoredCurrentValuesTable> StoredCurrentValues = new(Collections.CurrentValuesByTeam, t => t.Id);

    private readonly Lock _writer = new();

    private IDocumentCollection<StoredWeek> Weeks => database.Collection(StoredWeeks);

    private IDocumentCollection<StoredCurrentValuesTable> Current => database.Collection(StoredCurrentValues);

    public static string KeyFor(string teamId, IsoWeek week) => $"{teamId}|{week}";

    public WeeklySubmission Load(string teamId, IsoWeek week)
    {
        var stored = Weeks.Find(KeyFor(teamId, week));
        return stored is null ? new WeeklySubmission(teamId, week) : new WeeklySubmission(teamId, week, stored.Revisions.Select(r => r.ToRevision()));
    }

    /// <summary>Every stored week of a team, oldest first.</summary>
    public IReadOnlyList<WeeklySubmission> History(string teamId, IsoWeek? from = null, IsoWeek? to = null)
    {
        var weeks = Weeks.Where(w => w.TeamId, teamId);
        return weeks
            .Select(w => new WeeklySubmission(teamId, IsoWeek.ParseStored(w.Week), w.Revisions.Select(r => r.ToRevision())))
            .Where(w => (from is null || w.Week >= from.Value) && (to is null || w.Week <= to.Value))
            .OrderBy(w => w.Week)
            .ToList();
    }

    /// <summary>
    /// Each stored week of a team up to <paramref name="to"/> with its current values (what <see cref="History"/> gives as
    /// <see cref="WeeklySubmission.Current"/>), oldest first, from the team's <see cref="CurrentValuesTable"/>.
    /// </summary>
    public IReadOnlyList<WeekValues> CurrentValues(string teamId, IsoWeek? to = null) => CurrentValuesOf(teamId).Read(to);

    /// <summary><see cref="CurrentValues(string, IsoWeek?)"/> of many teams, read in one query (a roll-up reads every team of a board).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<WeekValues>> CurrentValues(IReadOnlyCollection<string> teamIds, IsoWeek? to = null)
    {
        ArgumentNullException.ThrowIfNull(teamIds);
        var read = new Dictionary<string, IReadOnlyList<WeekValues>>(teamIds.Count, StringComparer.Ordinal);
        foreach (var stored in Current.WhereIn(t => t.Id, teamIds))
        {
            if (Decode(stored) is { } table) read[stored.Id] = table.Read(to);
        }
        // Tables missing or unreadable are built from the revisions, as for one team.
        foreach (var teamId in teamIds)
        {
            if (!read.ContainsKey(teamId)) read[teamId] = CurrentValues(teamId, to);
        }
        return read;
    }

    private CurrentValuesTable CurrentValuesOf(string teamId)
    {
        if (Decode(Current.Find(teamId)) is { } table) return table;
        // No table, or one that cannot be read (a file or database from before the tables were kept, or a damaged
        // document): build it from the revisions, which are the record. A team with no figures needs none.
        var built = BuildCurrentValues(teamId);
        if (built.Weeks.Count == 0) return built;
        // Under the key a submission takes, so the build and a submission at the same moment cannot overwrite each other.
        return database.InTransaction(() =>
        {
            database.LockKey(TeamLock(teamId));
            if (Decode(Current.Find(teamId)) is { } builtMeanwhile) return builtMeanwhile;
            var rebuilt = BuildCurrentValues(teamId);
            Current.Upsert(rebuilt.ToStored());
            return rebuilt;
        });
    }

    private static CurrentValuesTable? Decode(StoredCurrentValuesTable? stored)
    {
        if (stored is null) return null;
        try
        {
            return CurrentValuesTable.From(stored);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private CurrentValuesTable BuildCurrentValues(string teamId)
    {
        var table = CurrentValuesTable.Empty(teamId);
        foreach (var week in Weeks.Where(w => w.TeamId, teamId))
            table.Set(IsoWeek.ParseStored(week.Week), new WeeklySubmission(teamId, IsoWeek.ParseStored(week.Week), week.Revisions.Select(r => r.ToRevision())).Current);
        return table;
    }

    /// <summary>The key held while a team's figures are written: its weeks and its current-values table.</summary>
    private static string TeamLock(string teamId) => "submissions:" + teamId;

    public bool HasSubmission(string teamId, IsoWeek week) => Weeks.Exists(KeyFor(teamId, week));

    /// <summary>How many weeks of figures are stored, across all teams.</summary>
    public int Count() => Weeks.Count();

    /// <summary>Applies a proposal and stores the new revision with its audit entry, atomically.</summary>
    public SubmissionResult Submit(string teamId, IsoWeek week, SubmissionProposal proposal, string source) =>
        SubmitMany([new SubmissionBatchItem(teamId, week, proposal)], source)[0];

    /// <summary>
    /// Applies proposals for many weeks (of one or more teams) in order and stores every new revision
    /// with its audit entry in ONE transaction, joining the caller's transaction if it has one: all
    /// of them are stored, or none. Used by imports, where a file is all or nothing.
    /// </summary>
    /// <returns>One result per item, in order; a double click (<see cref="SubmissionOutcome.Duplicate"/>) stores nothing.</returns>
    public IReadOnlyList<SubmissionResult> SubmitMany(IReadOnlyList<SubmissionBatchItem> items, string source)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        lock (_writer)
        {
            return database.InTransaction(() =>
            {
                // Another instance may be writing to the same teams: hold each team (its weeks and its current-values table
                // together, in one order, so two batches never wait on each other) before reading. One key per team also
                // keeps several calls in one transaction (the demo load) in that order.
                foreach (var teamId in items.Select(i => i.TeamId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
                    database.LockKey(TeamLock(teamId));

                var weeks = new Dictionary<string, WeeklySubmission>(StringComparer.Ordinal);
                var results = new List<SubmissionResult>(items.Count);
                var stored = new List<(SubmissionBatchItem Item, SubmissionResult Result, string? PreviousComment)>();
                foreach (var item in items)
                {
                    var key = KeyFor(item.TeamId, item.Week);
                    if (!weeks.TryGetValue(key, out var submission)) weeks[key] = submission = Load(item.TeamId, item.Week);
                    var previousComment = submission.CurrentComment;
                    var result = submission.Apply(item.Proposal, time.GetUtcNow());
                    results.Add(result);
                    if (result.Outcome == SubmissionOutcome.Created) stored.Add((item, result, previousComment));
                }
                if (stored.Count == 0) return results;

                foreach (var key in stored.Select(s => KeyFor(s.Item.TeamId, s.Item.Week)).Distinct(StringComparer.Ordinal))
                {
                    var submission = weeks[key];
                    Weeks.Upsert(new StoredWeek
                    {
                        Id = key,
                        TeamId = submission.TeamId,
                        Week = submission.Week.ToString(),
                        Revisions = submission.Revisions.Select(StoredRevision.From).ToList(),
                    });
                }
                foreach (var team in stored.GroupBy(s => s.Item.TeamId, StringComparer.Ordinal))
                {
                    // Read after the weeks above are written, so a table built here from the revisions includes them.
                    var table = CurrentValuesOf(team.Key);
                    foreach (var week in team.Select(s => s.Item.Week).Distinct())
                        table.Set(week, weeks[KeyFor(team.Key, week)].Current);
                    Current.Upsert(table.ToStored());
                }
                foreach (var (item, result, previousComment) in stored)
                {
                    audit.Append(new AuditEntry
                    {
                        At = result.Revision.At,
                        ActorId = item.Proposal.By.ObjectId,
                        ActorName = item.Proposal.By.Name,
                        Subject = "submission",
                        SubjectId = KeyFor(item.TeamId, item.Week),
                        Action = $"revision {result.Revision.Number} ({source})",
                        TeamId = item.TeamId,
                        Changes = result.Diff.Select(d => new AuditChange(d.Key, Format(d.Old), Format(d.New)))
                            .Concat(result.Revision.Comment != previousComment ? [new AuditChange("comment", previousComment, result.Revision.Comment)] : [])
                            .ToList(),
                    });
                }
                return results;
            });
        }
    }

    /// <summary>
    /// Removes the comment from every revision of the week (inside the caller's transaction, under the team's key);
    /// returns the distinct texts removed, none when the week has no comment.
    /// </summary>
    public IReadOnlyList<string> RemoveComments(string teamId, IsoWeek week)
    {
        return database.InTransaction(() =>
        {
            database.LockKey(TeamLock(teamId));
            if (Weeks.Find(KeyFor(teamId, week)) is not { } stored) return [];
            var removed = stored.Revisions.Select(r => r.Comment).OfType<string>().Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            if (removed.Count == 0) return removed;
            foreach (var revision in stored.Revisions) revision.Comment = null;
            Weeks.Upsert(stored);
            return removed;
        });
    }

    private static string? Format(double? value) => value?.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>One week's proposal in <see cref="SubmissionStore.SubmitMany"/>.</summary>
public sealed record SubmissionBatchItem(string TeamId, IsoWeek Week, SubmissionProposal Proposal);
