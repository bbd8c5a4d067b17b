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
public sealed class SubmissionStore(VmDatabase database, AuditLog audit, TimeProvider time)
{
    private readonly Lock _writer = new();

    private ILiteCollection<StoredWeek> Weeks => database.Collection<StoredWeek>(Collections.Submissions);

    public static string KeyFor(string teamId, IsoWeek week) => $"{teamId}|{week}";

    public WeeklySubmission Load(string teamId, IsoWeek week)
    {
        var stored = Weeks.FindById(KeyFor(teamId, week));
        return stored is null ? new WeeklySubmission(teamId, week) : new WeeklySubmission(teamId, week, stored.Revisions.Select(r => r.ToRevision()));
    }

    /// <summary>Every stored week of a team, oldest first.</summary>
    public IReadOnlyList<WeeklySubmission> History(string teamId, IsoWeek? from = null, IsoWeek? to = null)
    {
        var weeks = Weeks.Find(w => w.TeamId == teamId).ToList();
        return weeks
            .Select(w => new WeeklySubmission(teamId, IsoWeek.Parse(w.Week), w.Revisions.Select(r => r.ToRevision())))
            .Where(w => (from is null || w.Week >= from.Value) && (to is null || w.Week <= to.Value))
            .OrderBy(w => w.Week)
            .ToList();
    }

    /// <summary>
    /// Each stored week of a team up to <paramref name="to"/> with its current values (what <see cref="History"/> gives as
    /// <see cref="WeeklySubmission.Current"/>), oldest first. Box scores and roll-ups read every week a team has: this
    /// reads the stored documents as they are and merges the revisions' values, without mapping each revision and its
    /// audit trail to objects, which costs several times as much.
    /// </summary>
    public IReadOnlyList<WeekValues> CurrentValues(string teamId, IsoWeek? to = null)
    {
        var documents = database.Database.GetCollection(Collections.Submissions)
            .Find(Query.EQ(nameof(StoredWeek.TeamId), teamId));
        var weeks = new List<WeekValues>();
        foreach (var document in documents)
        {
            var week = IsoWeek.Parse(document[nameof(StoredWeek.Week)].AsString);
            if (to is not null && week > to.Value) continue;
            var values = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var revision in document[nameof(StoredWeek.Revisions)].AsArray)
            {
                foreach (var (key, value) in revision[nameof(StoredRevision.Values)].AsDocument)
                    values[key] = value.IsNull ? null : value.AsDouble;
            }
            weeks.Add(new WeekValues(week, values));
        }
        weeks.Sort((a, b) => a.Week.CompareTo(b.Week));
        return weeks;
    }

    public bool HasSubmission(string teamId, IsoWeek week) => Weeks.Exists(w => w.Id == KeyFor(teamId, week));

    /// <summary>Applies a proposal and stores the new revision with its audit entry, atomically.</summary>
    public SubmissionResult Submit(string teamId, IsoWeek week, SubmissionProposal proposal, string source)
    {
        lock (_writer)
        {
            var submission = Load(teamId, week);
            var previousComment = submission.CurrentComment;
            var result = submission.Apply(proposal, time.GetUtcNow());
            if (result.Outcome == SubmissionOutcome.Duplicate) return result;

            database.Database.BeginTrans();
            try
            {
                Weeks.Upsert(new StoredWeek
                {
                    Id = KeyFor(teamId, week),
                    TeamId = teamId,
                    Week = week.ToString(),
                    Revisions = submission.Revisions.Select(StoredRevision.From).ToList(),
                });
                audit.Append(new AuditEntry
                {
                    At = result.Revision.At,
                    ActorId = proposal.By.ObjectId,
                    ActorName = proposal.By.Name,
                    Subject = "submission",
                    SubjectId = KeyFor(teamId, week),
                    Action = $"revision {result.Revision.Number} ({source})",
                    TeamId = teamId,
                    Changes = result.Diff.Select(d => new AuditChange(d.Key, Format(d.Old), Format(d.New)))
                        .Concat(proposal.Comment != previousComment ? [new AuditChange("comment", previousComment, proposal.Comment)] : [])
                        .ToList(),
                });
                database.Database.Commit();
            }
            catch
            {
                database.Database.Rollback();
                throw;
            }
            return result;
        }
    }

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

            var owns = database.Database.BeginTrans();
            try
            {
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
                if (owns) database.Database.Commit();
            }
            catch
            {
                if (owns) database.Database.Rollback();
                throw;
            }
            return results;
        }
    }

    private static string? Format(double? value) => value?.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class StoredWeek
    {
        [BsonId] public string Id { get; set; } = string.Empty;
        public string TeamId { get; set; } = string.Empty;
        public string Week { get; set; } = string.Empty;
        public List<StoredRevision> Revisions { get; set; } = [];
    }

    private sealed class StoredRevision
    {
        public int Number { get; set; }
        public Dictionary<string, double?> Values { get; set; } = [];
        public string? Comment { get; set; }
        public string ByObjectId { get; set; } = string.Empty;
        public string ByName { get; set; } = string.Empty;
        public DateTime At { get; set; }
        public int BasedOnRevision { get; set; }
        public List<StoredChange> Changes { get; set; } = [];

        public static StoredRevision From(SubmissionRevision revision) => new()
        {
            Number = revision.Number,
            Values = revision.Values.ToDictionary(v => v.Key, v => v.Value),
            Comment = revision.Comment,
            ByObjectId = revision.By.ObjectId,
            ByName = revision.By.Name,
            At = revision.At.UtcDateTime,
            BasedOnRevision = revision.BasedOnRevision,
            Changes = revision.Changes.Select(c => new StoredChange { Key = c.Key, Old = c.Old, New = c.New }).ToList(),
        };

        public SubmissionRevision ToRevision() => new(
            Number,
            Values,
            Comment,
            new Submitter(ByObjectId, ByName),
            new DateTimeOffset(DateTime.SpecifyKind(At.ToUniversalTime(), DateTimeKind.Utc)),
            BasedOnRevision,
            Changes.Select(c => new MeasureChange(c.Key, c.Old, c.New)).ToList());
    }

    private sealed class StoredChange
    {
        public string Key { get; set; } = string.Empty;
        public double? Old { get; set; }
        public double? New { get; set; }
    }
}

/// <summary>One week's proposal in <see cref="SubmissionStore.SubmitMany"/>.</summary>
public sealed record SubmissionBatchItem(string TeamId, IsoWeek Week, SubmissionProposal Proposal);
