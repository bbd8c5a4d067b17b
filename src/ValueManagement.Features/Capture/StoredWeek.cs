using ValueManagement.Core.Submissions;

namespace ValueManagement.Features.Capture;

/// <summary>A team's week as stored: every revision, with who made it and what it changed.</summary>
public sealed class StoredWeek
{
    /// <summary><c>&lt;team&gt;|&lt;week&gt;</c>, see <see cref="SubmissionStore.KeyFor"/>.</summary>
    public string Id { get; set; } = string.Empty;
    public string TeamId { get; set; } = string.Empty;
    public string Week { get; set; } = string.Empty;
    public List<StoredRevision> Revisions { get; set; } = [];
}

public sealed class StoredRevision
{
    public int Number { get; set; }
    public Dictionary<string, double?> Values { get; set; } = [];
    public string? Comment { get; set; }
    public string ByObjectId { get; set; } = string.Empty;
    public string ByName { get; set; } = string.Empty;
    public DateTime At { get; set; }
    public int BasedOnRevision { get; set; }
    public List<StoredMeasureChange> Changes { get; set; } = [];

    public static StoredRevision From(SubmissionRevision revision) => new()
    {
        Number = revision.Number,
        Values = revision.Values.ToDictionary(v => v.Key, v => v.Value),
        Comment = revision.Comment,
        ByObjectId = revision.By.ObjectId,
        ByName = revision.By.Name,
        At = revision.At.UtcDateTime,
        BasedOnRevision = revision.BasedOnRevision,
        Changes = revision.Changes.Select(c => new StoredMeasureChange { Key = c.Key, Old = c.Old, New = c.New }).ToList(),
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

public sealed class StoredMeasureChange
{
    public string Key { get; set; } = string.Empty;
    public double? Old { get; set; }
    public double? New { get; set; }
}

/// <summary>A team's week with only the current value of each measure (see <see cref="SubmissionStore.StoredCurrentValues"/>).</summary>
public sealed class StoredCurrentValues
{
    public string Id { get; set; } = string.Empty;
    public string TeamId { get; set; } = string.Empty;
    public string Week { get; set; } = string.Empty;
    public Dictionary<string, double?> Values { get; set; } = [];
}
