using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Submissions;

/// <summary>A person, identified by their Entra object id; the name is only for display.</summary>
public sealed record Submitter(string ObjectId, string Name)
{
    public bool IsSamePersonAs(Submitter other) =>
        string.Equals(ObjectId, other.ObjectId, StringComparison.OrdinalIgnoreCase);
}

/// <summary>One measure's value before and after a revision (null = not recorded).</summary>
public sealed record MeasureChange(string Key, double? Old, double? New);

/// <summary>
/// A measure someone else changed after the revision a card was built from: it went from
/// <see cref="Old"/> (what the submitter saw) to <see cref="New"/>.
/// </summary>
/// <param name="OverwrittenByYou">The submitter sent a different value for this measure, which replaced <see cref="New"/>.</param>
public sealed record ConcurrentChange(string Key, double? Old, double? New, Submitter ChangedBy, DateTimeOffset ChangedAt, bool OverwrittenByYou);

/// <summary>The week's comment was changed by someone else after the revision a card was built from.</summary>
/// <param name="OverwrittenByYou">The submitter sent a different comment, which replaced theirs.</param>
public sealed record ConcurrentCommentChange(Submitter ChangedBy, DateTimeOffset ChangedAt, bool OverwrittenByYou);

/// <summary>What a person sends from the weekly form.</summary>
/// <param name="Values">The measures to set; null = not recorded. Measures left out keep their current value.</param>
/// <param name="BasedOnRevision">The revision the card was built from; 0 when the card showed no figures yet.</param>
public sealed record SubmissionProposal(IReadOnlyDictionary<string, double?> Values, string? Comment, Submitter By, int BasedOnRevision);

/// <summary>One stored submission for a week.</summary>
/// <param name="Number">1, 2, 3… in the order stored.</param>
/// <param name="Values">The values this revision sent (not the whole week); see <see cref="WeeklySubmission.ValuesAfter"/>.</param>
/// <param name="At">When it was stored, in UTC.</param>
/// <param name="Changes">The audit trail: every measure whose week value this revision changed, old → new.</param>
public sealed record SubmissionRevision(
    int Number,
    IReadOnlyDictionary<string, double?> Values,
    string? Comment,
    Submitter By,
    DateTimeOffset At,
    int BasedOnRevision,
    IReadOnlyList<MeasureChange> Changes);

public enum SubmissionOutcome
{
    /// <summary>A new revision was stored.</summary>
    Created,
    /// <summary>A double click: the same person sent the same again within the window; nothing was stored.</summary>
    Duplicate,
}

/// <param name="Revision">The new revision, or for a duplicate the revision it repeats.</param>
/// <param name="ChangedByOthers">What other people changed since the card's revision, so the reply can say so; empty for a duplicate.</param>
/// <param name="Diff">What this revision changed in the week's values; empty for a duplicate.</param>
public sealed record SubmissionResult(
    SubmissionOutcome Outcome,
    SubmissionRevision Revision,
    IReadOnlyList<ConcurrentChange> ChangedByOthers,
    IReadOnlyList<MeasureChange> Diff)
{
    /// <summary>Whether someone else changed the comment since the card's revision; null when no one did (and for a duplicate).</summary>
    public ConcurrentCommentChange? CommentChangedByOther { get; init; }
}

/// <summary>
/// A team's figures for one week: every submission is kept as a revision, and the week's values
/// are the revisions applied in order, each overwriting the measures it sent (last write wins,
/// per measure).
/// </summary>
public sealed class WeeklySubmission
{
    /// <summary>The same person sending the same values and comment again within this time is a double click.</summary>
    public static TimeSpan DoubleClickWindow { get; } = TimeSpan.FromSeconds(10);

    private readonly List<SubmissionRevision> _revisions;

    public WeeklySubmission(string teamId, IsoWeek week)
        : this(teamId, week, [])
    {
    }

    /// <summary>Rebuilds a week from stored revisions, which must be numbered 1, 2, 3… in order.</summary>
    public WeeklySubmission(string teamId, IsoWeek week, IEnumerable<SubmissionRevision> revisions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teamId);
        ArgumentNullException.ThrowIfNull(revisions);
        TeamId = teamId;
        Week = week;
        _revisions = [.. revisions];
        for (var i = 0; i < _revisions.Count; i++)
        {
            if (_revisions[i].Number != i + 1)
                throw new ArgumentException($"Revisions of {teamId} {week} must be numbered 1, 2, 3… in order; found {_revisions[i].Number} at position {i + 1}.", nameof(revisions));
        }
    }

    public string TeamId { get; }
    public IsoWeek Week { get; }
    public IReadOnlyList<SubmissionRevision> Revisions => _revisions;
    public SubmissionRevision? Latest => _revisions.Count == 0 ? null : _revisions[^1];

    /// <summary>The number a new card should carry as the revision it was built from.</summary>
    public int LatestRevisionNumber => _revisions.Count;

    /// <summary>The week's values now: every measure any revision has sent (null = not recorded).</summary>
    public IReadOnlyDictionary<string, double?> Current => ValuesAfter(_revisions.Count);

    /// <summary>The comment of the latest revision (a submission replaces the comment, as it does values it sends).</summary>
    public string? CurrentComment => Latest?.Comment;

    /// <summary>The week's values as they were right after revision <paramref name="revisionNumber"/> (0 = before any).</summary>
    public IReadOnlyDictionary<string, double?> ValuesAfter(int revisionNumber)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revisionNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(revisionNumber, _revisions.Count);
        var values = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var revision in _revisions.Take(revisionNumber))
            foreach (var (key, value) in revision.Values)
                values[key] = value;
        return values;
    }

    /// <summary>
    /// Stores a submission as a new revision, unless it is a double click: the same person, the same
    /// values and comment, within <see cref="DoubleClickWindow"/> of that person's last revision.
    /// A submission built from an older revision is stored too (last write wins, per measure) and the
    /// result names what others changed in between.
    /// </summary>
    public SubmissionResult Apply(SubmissionProposal proposal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(proposal.Values);
        ArgumentNullException.ThrowIfNull(proposal.By);
        ArgumentException.ThrowIfNullOrWhiteSpace(proposal.By.ObjectId, nameof(proposal));
        if (proposal.BasedOnRevision < 0 || proposal.BasedOnRevision > _revisions.Count)
            throw new ArgumentOutOfRangeException(nameof(proposal), proposal.BasedOnRevision, $"{TeamId} {Week} has revisions 1 to {_revisions.Count}; the card's revision {proposal.BasedOnRevision} does not exist.");
        foreach (var (key, value) in proposal.Values)
        {
            if (value is { } number && !double.IsFinite(number))
                throw new ArgumentException($"The value of '{key}' is not a finite number.", nameof(proposal));
        }

        var at = now.ToUniversalTime();
        var comment = NormalizeComment(proposal.Comment);

        var theirLast = _revisions.LastOrDefault(r => r.By.IsSamePersonAs(proposal.By));
        if (theirLast is not null
            && (at - theirLast.At).Duration() <= DoubleClickWindow
            && SameValues(theirLast.Values, proposal.Values)
            && NormalizeComment(theirLast.Comment) == comment)
        {
            return new SubmissionResult(SubmissionOutcome.Duplicate, theirLast, [], []);
        }

        var before = Current;
        var after = new Dictionary<string, double?>(before, StringComparer.Ordinal);
        foreach (var (key, value) in proposal.Values) after[key] = value;

        var diff = Differences(before, after);
        var changedByOthers = ChangedByOthersSince(proposal.BasedOnRevision, proposal, before);
        var commentChangedByOther = CommentChangedByOtherSince(proposal.BasedOnRevision, proposal.By, comment);

        var revision = new SubmissionRevision(
            _revisions.Count + 1,
            new Dictionary<string, double?>(proposal.Values, StringComparer.Ordinal),
            comment,
            proposal.By,
            at,
            proposal.BasedOnRevision,
            diff);
        _revisions.Add(revision);
        return new SubmissionResult(SubmissionOutcome.Created, revision, changedByOthers, diff) { CommentChangedByOther = commentChangedByOther };
    }

    /// <summary>The last change to the comment after the card's revision, when someone other than the submitter made it.</summary>
    private ConcurrentCommentChange? CommentChangedByOtherSince(int basedOn, Submitter submitter, string? sentComment)
    {
        var seen = basedOn == 0 ? null : NormalizeComment(_revisions[basedOn - 1].Comment);
        var now = seen;
        SubmissionRevision? lastChange = null;
        foreach (var revision in _revisions.Skip(basedOn))
        {
            var comment = NormalizeComment(revision.Comment);
            if (comment == now) continue;
            now = comment;
            lastChange = revision;
        }
        if (lastChange is null || now == seen || lastChange.By.IsSamePersonAs(submitter)) return null;
        return new ConcurrentCommentChange(lastChange.By, lastChange.At, OverwrittenByYou: sentComment != now);
    }

    /// <summary>
    /// Measures whose value differs now from the card's revision, where the latest change was made by
    /// someone other than the submitter (their own edits from another copy of the card are not news).
    /// </summary>
    private List<ConcurrentChange> ChangedByOthersSince(int basedOn, SubmissionProposal proposal, IReadOnlyDictionary<string, double?> current)
    {
        var seen = ValuesAfter(basedOn);
        var lastChangedBy = new Dictionary<string, SubmissionRevision>(StringComparer.Ordinal);
        var previous = seen;
        for (var number = basedOn + 1; number <= _revisions.Count; number++)
        {
            var next = ValuesAfter(number);
            foreach (var change in Differences(previous, next)) lastChangedBy[change.Key] = _revisions[number - 1];
            previous = next;
        }

        var changes = new List<ConcurrentChange>();
        foreach (var change in Differences(seen, current))
        {
            var revision = lastChangedBy[change.Key];
            if (revision.By.IsSamePersonAs(proposal.By)) continue;
            var overwritten = proposal.Values.TryGetValue(change.Key, out var theirs) && theirs != change.New;
            changes.Add(new ConcurrentChange(change.Key, change.Old, change.New, revision.By, revision.At, overwritten));
        }
        return changes;
    }

    /// <summary>Measures whose value differs, in the order they first appear; absent and null both mean not recorded.</summary>
    private static List<MeasureChange> Differences(IReadOnlyDictionary<string, double?> before, IReadOnlyDictionary<string, double?> after)
    {
        var changes = new List<MeasureChange>();
        foreach (var key in before.Keys.Concat(after.Keys.Where(k => !before.ContainsKey(k))))
        {
            var old = before.GetValueOrDefault(key);
            var @new = after.GetValueOrDefault(key);
            if (old != @new) changes.Add(new MeasureChange(key, old, @new));
        }
        return changes;
    }

    private static bool SameValues(IReadOnlyDictionary<string, double?> first, IReadOnlyDictionary<string, double?> second) =>
        first.Count == second.Count
        && first.All(pair => second.TryGetValue(pair.Key, out var other) && other == pair.Value);

    private static string? NormalizeComment(string? comment) =>
        string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
}
