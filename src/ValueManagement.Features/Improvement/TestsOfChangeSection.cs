using System.Globalization;
using ValueManagement.Core.Improvement;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.Improvement;

/// <summary>
/// The report-out card's part on tests of change: what the team is testing, the latest cycle notes,
/// adopted changes (a natural point to rebase the measure's limits, which the coach decides), and a
/// form to add a cycle note without typing a command.
/// </summary>
public static class TestsOfChangeSection
{
    public const int Shown = 5;
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <param name="shownAsAdopted">Ids of adopted changes the card already shows under "Changes adopted", with the state of their limits.</param>
    public static IEnumerable<CardElement> Elements(TeamProfile team, IReadOnlyList<TestOfChange> tests, MeasureSet? measures, IReadOnlySet<string>? shownAsAdopted = null)
    {
        yield return new TextBlock("Tests of change") { Weight = FontWeight.Bolder, Size = TextSize.Medium, Spacing = Spacing.Large, Separator = true };
        var shown = tests.TestingFirst().Take(Shown).ToList();
        if (shown.Count == 0)
        {
            yield return new TextBlock($"No tests of change yet. A coach can start one: **pdsa {team.Name} add <what you will try> for <measure>**.") { Wrap = true, Spacing = Spacing.Small };
            yield break;
        }
        foreach (var test in shown)
        {
            var measure = test.MeasureKey is { } key ? measures?.Find(key)?.Name ?? key : null;
            yield return new RichTextBlock(
            [
                new TextRun($"{test.Id} ") { Weight = FontWeight.Bolder },
                new TextRun(test.Title + (measure is null ? string.Empty : $" ({measure})")),
                new TextRun($" · {StatusWords.Describe(test.Status)} since {test.StatusSince.ToString("d MMM", English)}") { IsSubtle = true },
            ]) { Spacing = Spacing.Small };
            if (test.LatestCycleNotes().LastOrDefault() is { } note)
                yield return new TextBlock($"Cycle {note.Cycle} {StatusWords.Describe(note.Stage)}: {note.Text}") { Wrap = true, IsSubtle = true, Spacing = Spacing.None, MaxLines = 3 };
            if (test.Status == TestOfChangeStatus.Adopted && measure is not null && shownAsAdopted?.Contains(test.Id.ToString()) != true)
                yield return new TextBlock($"Adopted: a natural point to rebase the limits of {measure}; the coach decides.") { Wrap = true, Spacing = Spacing.None };
        }
        if (tests.Count > shown.Count)
            yield return new TextBlock($"And {tests.Count - shown.Count} more: type **pdsa {team.Name}**.") { IsSubtle = true, Spacing = Spacing.Small };
    }

    /// <summary>"Add a cycle note", opening a small form; null when nothing is being tested.</summary>
    public static CardAction? AddNoteAction(TeamProfile team, IReadOnlyList<TestOfChange> tests)
    {
        var testing = tests.TestingFirst().Where(t => t.Status == TestOfChangeStatus.Testing).Take(Shown).ToList();
        if (testing.Count == 0) return null;
        var form = new AdaptiveCard
        {
            Body =
            [
                new ChoiceSetInput(testing.Select(t => new Choice($"{t.Id} {t.Title}", t.Id.ToString())).ToList())
                {
                    Id = PdsaNoteAction.TestKey, Label = "Test of change", Value = testing[0].Id.ToString(), IsRequired = true, ErrorMessage = "Choose a test of change.",
                },
                new ChoiceSetInput(Enum.GetValues<PdsaStage>().Select(s => new Choice(StatusWords.Describe(s), StatusWords.Describe(s))).ToList())
                {
                    Id = PdsaNoteAction.StageKey, Label = "Stage of the cycle", Value = StatusWords.Describe(PdsaStage.Study), IsRequired = true, ErrorMessage = "Choose plan, do, study or act.",
                },
                new TextInput
                {
                    Id = PdsaNoteAction.NoteKey, Label = "Note (no patient details)", IsMultiline = true, MaxLength = TestOfChange.MaxNoteLength,
                    IsRequired = true, ErrorMessage = "Write what you planned, did, learned or decided.",
                },
            ],
            Actions = [CardActions.Execute("Add the note", PdsaNoteAction.VerbName, new Dictionary<string, object?> { [PdsaNoteAction.TeamKey] = team.Id })],
        };
        return new ShowCardAction(form) { Title = "Add a cycle note" };
    }
}
