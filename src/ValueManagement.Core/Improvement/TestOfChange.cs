using ValueManagement.Core.PatientData;

namespace ValueManagement.Core.Improvement;

/// <summary>Where a test of change stands. A new test starts as <see cref="Testing"/>.</summary>
public enum TestOfChangeStatus
{
    Testing,
    Adopted,
    Adapted,
    Abandoned,
}

/// <summary>The four parts of a PDSA cycle.</summary>
public enum PdsaStage
{
    Plan,
    Do,
    Study,
    Act,
}

/// <param name="By">The Entra object id of the person who made the change.</param>
public sealed record StatusChange(TestOfChangeStatus Status, DateTimeOffset At, string By, string ByName);

/// <param name="Cycle">1 for the first cycle; a note after an <see cref="PdsaStage.Act"/> note opens the next cycle.</param>
public sealed record CycleNote(int Cycle, PdsaStage Stage, string Text, DateTimeOffset At, string By, string ByName);

/// <summary>
/// A change idea a team is testing with PDSA cycles (Model for Improvement): title, optional linked
/// measure, status with its history, and plan/do/study/act notes with who and when.
/// </summary>
public sealed record TestOfChange
{
    public const int MaxTitleLength = 200;
    public const int MaxNoteLength = 1000;

    public required TestOfChangeId Id { get; init; }
    public required string TeamId { get; init; }
    public required string Title { get; init; }
    public string? MeasureKey { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public required string CreatedByName { get; init; }
    public IReadOnlyList<StatusChange> StatusHistory { get; init; } = [];
    public IReadOnlyList<CycleNote> Notes { get; init; } = [];

    public TestOfChangeStatus Status => StatusHistory.Count == 0 ? TestOfChangeStatus.Testing : StatusHistory[^1].Status;

    public DateTimeOffset StatusSince => StatusHistory.Count == 0 ? CreatedAt : StatusHistory[^1].At;

    public int CurrentCycle => Notes.Count == 0 ? 1 : Notes[^1].Stage == PdsaStage.Act ? Notes[^1].Cycle + 1 : Notes[^1].Cycle;

    /// <summary>The latest note of each stage in the most recent cycle that has notes.</summary>
    public IReadOnlyList<CycleNote> LatestCycleNotes()
    {
        if (Notes.Count == 0) return [];
        var cycle = Notes[^1].Cycle;
        return Notes.Where(n => n.Cycle == cycle)
            .GroupBy(n => n.Stage)
            .Select(g => g.Last())
            .OrderBy(n => n.Stage)
            .ToList();
    }

    public static TestOfChangeOutcome Create(TestOfChangeId id, string teamId, string? title, string? measureKey, DateTimeOffset at, string by, string byName)
    {
        var cleanTitle = title?.Trim();
        if (string.IsNullOrEmpty(cleanTitle))
            return TestOfChangeOutcome.Refused("A test of change needs a title, e.g. `pdsa ward 7 add Safety huddle at 14:00 for falls`.");
        if (cleanTitle.Length > MaxTitleLength)
            return TestOfChangeOutcome.Refused($"The title is {cleanTitle.Length} characters long; please keep it to {MaxTitleLength}.");
        if (PatientDataGuard.Check(cleanTitle) is { } refusal)
            return TestOfChangeOutcome.Refused(refusal);

        return TestOfChangeOutcome.Ok(new TestOfChange
        {
            Id = id,
            TeamId = teamId,
            Title = cleanTitle,
            MeasureKey = string.IsNullOrWhiteSpace(measureKey) ? null : measureKey.Trim(),
            CreatedAt = at,
            CreatedBy = by,
            CreatedByName = byName,
            StatusHistory = [new StatusChange(TestOfChangeStatus.Testing, at, by, byName)],
        });
    }

    public TestOfChangeOutcome WithStatus(TestOfChangeStatus status, DateTimeOffset at, string by, string byName)
    {
        if (status == Status)
            return TestOfChangeOutcome.Refused($"{Id} is already {StatusWords.Describe(status)}.");
        return TestOfChangeOutcome.Ok(this with { StatusHistory = [.. StatusHistory, new StatusChange(status, at, by, byName)] });
    }

    public TestOfChangeOutcome WithNote(PdsaStage stage, string? text, DateTimeOffset at, string by, string byName)
    {
        var clean = text?.Trim();
        if (string.IsNullOrEmpty(clean))
            return TestOfChangeOutcome.Refused($"Please write the {StatusWords.Describe(stage)} note, e.g. `pdsa {Id} cycle {StatusWords.Describe(stage)} what you did and saw`.");
        if (clean.Length > MaxNoteLength)
            return TestOfChangeOutcome.Refused($"The note is {clean.Length} characters long; please keep it to {MaxNoteLength}.");
        if (PatientDataGuard.Check(clean) is { } refusal)
            return TestOfChangeOutcome.Refused(refusal);

        return TestOfChangeOutcome.Ok(this with { Notes = [.. Notes, new CycleNote(CurrentCycle, stage, clean, at, by, byName)] });
    }
}

/// <summary>Either the changed test of change or a refusal a person can act on; nothing is stored on a refusal.</summary>
public sealed record TestOfChangeOutcome(TestOfChange? Value, string? Refusal)
{
    public static TestOfChangeOutcome Ok(TestOfChange value) => new(value, null);
    public static TestOfChangeOutcome Refused(string message) => new(null, message);
}

public static class TestsOfChangeOrder
{
    /// <summary>How lists and cards show a team's tests: those being tested first, then the most recently changed.</summary>
    public static IEnumerable<TestOfChange> TestingFirst(this IEnumerable<TestOfChange> tests) =>
        tests.OrderBy(t => t.Status == TestOfChangeStatus.Testing ? 0 : 1).ThenByDescending(t => t.StatusSince);
}

public static class StatusWords
{
    public static string Describe(TestOfChangeStatus status) => status.ToString().ToLowerInvariant();

    public static string Describe(PdsaStage stage) => stage.ToString().ToLowerInvariant();

    public static bool TryParseStatus(string? text, out TestOfChangeStatus status) => TryParseWord(text, out status);

    public static bool TryParseStage(string? text, out PdsaStage stage) => TryParseWord(text, out stage);

    private static bool TryParseWord<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        var word = text?.Trim();
        if (string.IsNullOrEmpty(word) || !word.All(char.IsLetter)) return false;
        return Enum.TryParse(word, ignoreCase: true, out value) && Enum.IsDefined(value);
    }
}
