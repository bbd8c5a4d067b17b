using ValueManagement.Core.Improvement;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Storage;

namespace ValueManagement.Features.Improvement;

/// <summary>
/// The teams' tests of change. Every change is written together with its audit entry in one
/// transaction; a refusal (missing title, patient identifier, same status) writes nothing.
/// </summary>
public sealed class TestOfChangeStore(IDocumentDatabase database, AuditLog audit, TimeProvider time)
{
    public const string AuditSubject = "test-of-change";

    private readonly Lock _writing = new();

    public static readonly DocumentCollection<StoredTestOfChange> Stored =
        new(Collections.TestsOfChange, t => t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), nameof(StoredTestOfChange.TeamId));

    private IDocumentCollection<StoredTestOfChange> Tests => database.Collection(Stored);

    public TestOfChange? Find(TestOfChangeId id) => Tests.Find(id.Number.ToString(System.Globalization.CultureInfo.InvariantCulture))?.ToDomain();

    public IReadOnlyList<TestOfChange> ForTeam(string teamId) =>
        Tests.Where(t => t.TeamId, teamId).Select(t => t.ToDomain()).OrderBy(t => t.Id.Number).ToList();

    public TestOfChangeOutcome Add(string teamId, string? title, string? measureKey, Actor actor)
    {
        lock (_writing)
        {
            return database.InTransaction(() =>
            {
                // Ids are numbered across all teams: no other instance may take the same number meanwhile.
                database.LockKey("tests-of-change:numbering");
                var next = new TestOfChangeId((Tests.Top(t => t.Id, 1).FirstOrDefault()?.Id ?? 0) + 1);
                var outcome = TestOfChange.Create(next, teamId, title, measureKey, time.GetUtcNow(), actor.Id, actor.Name);
                if (outcome.Value is { } created)
                    Write(created, actor, "add", [new AuditChange("title", null, created.Title), new AuditChange("measure", null, created.MeasureKey)]);
                return outcome;
            });
        }
    }

    public TestOfChangeOutcome SetStatus(TestOfChange current, TestOfChangeStatus status, Actor actor)
    {
        lock (_writing)
        {
            var outcome = current.WithStatus(status, time.GetUtcNow(), actor.Id, actor.Name);
            if (outcome.Value is { } changed)
                Write(changed, actor, "status", [new AuditChange("status", StatusWords.Describe(current.Status), StatusWords.Describe(status))]);
            return outcome;
        }
    }

    public TestOfChangeOutcome AddNote(TestOfChange current, PdsaStage stage, string? text, Actor actor)
    {
        lock (_writing)
        {
            var outcome = current.WithNote(stage, text, time.GetUtcNow(), actor.Id, actor.Name);
            if (outcome.Value is { } changed)
            {
                var note = changed.Notes[^1];
                Write(changed, actor, "cycle-note", [new AuditChange($"cycle {note.Cycle} {StatusWords.Describe(stage)}", null, note.Text)]);
            }
            return outcome;
        }
    }

    /// <summary>What a redacted title or note reads afterwards.</summary>
    public const string RemovedText = "(removed by an admin)";

    /// <summary>
    /// Replaces the title, or the <paramref name="noteNumber"/>th note (1 = the first, in the order written), with
    /// <see cref="RemovedText"/> (inside the caller's transaction); returns the text removed, or null when there is
    /// no such note or it was removed already.
    /// </summary>
    public string? RemoveText(TestOfChangeId id, int? noteNumber)
    {
        lock (_writing)
        return database.InTransaction(() =>
        {
            database.LockKey("tests-of-change:" + id);
            if (Tests.Find(id.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not { } stored) return null;
            string removed;
            if (noteNumber is not { } number)
            {
                removed = stored.Title;
                if (removed == RemovedText) return null;
                Tests.Upsert(stored with { Title = RemovedText });
                return removed;
            }
            if (number < 1 || number > stored.Notes.Count || stored.Notes[number - 1].Text == RemovedText) return null;
            removed = stored.Notes[number - 1].Text;
            var notes = stored.Notes.ToList();
            notes[number - 1] = notes[number - 1] with { Text = RemovedText };
            Tests.Upsert(stored with { Notes = notes });
            return removed;
        });
    }

    private void Write(TestOfChange test, Actor actor, string action, IReadOnlyList<AuditChange> changes)
    {
        database.InTransaction(() =>
        {
            Tests.Upsert(StoredTestOfChange.From(test));
            audit.Append(new AuditEntry
            {
                At = time.GetUtcNow(),
                ActorId = actor.Id,
                ActorName = actor.Name,
                Subject = AuditSubject,
                SubjectId = test.Id.ToString(),
                Action = action,
                Changes = changes,
                TeamId = test.TeamId,
            });
        });
    }
}

/// <summary>The stored shape of a test of change; the id is the number after the P.</summary>
public sealed record StoredTestOfChange
{
    public int Id { get; init; }
    public required string TeamId { get; init; }
    public required string Title { get; init; }
    public string? MeasureKey { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public required string CreatedByName { get; init; }
    public List<StatusChange> StatusHistory { get; init; } = [];
    public List<CycleNote> Notes { get; init; } = [];

    public static StoredTestOfChange From(TestOfChange test) => new()
    {
        Id = test.Id.Number,
        TeamId = test.TeamId,
        Title = test.Title,
        MeasureKey = test.MeasureKey,
        CreatedAt = test.CreatedAt,
        CreatedBy = test.CreatedBy,
        CreatedByName = test.CreatedByName,
        StatusHistory = [.. test.StatusHistory],
        Notes = [.. test.Notes],
    };

    public TestOfChange ToDomain() => new()
    {
        Id = new TestOfChangeId(Id),
        TeamId = TeamId,
        Title = Title,
        MeasureKey = MeasureKey,
        CreatedAt = CreatedAt,
        CreatedBy = CreatedBy,
        CreatedByName = CreatedByName,
        StatusHistory = StatusHistory,
        Notes = Notes,
    };
}
