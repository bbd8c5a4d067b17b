using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Improvement;
using ValueManagement.Features.Improvement;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Signals;
using ValueManagement.Core.Weeks;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.BoxScores;

/// <summary>A chart of one measure, made elsewhere (the charts feature), with the words a screen reader says for it.</summary>
public sealed record ChartImage(string Url, string AltText);

/// <summary>An adopted test of change on the report-out: its measure, the week it was adopted, whether the coach rebased the limits from it, and the measure's chart.</summary>
/// <param name="RebasedBy">Who confirmed the rebase; null while the limits are not rebased.</param>
/// <param name="ShiftSince">While not rebased: the sustained shift (the SPC shift rule) since the change, in words; null when there is none.</param>
public sealed record AdoptedChangeItem(string TestId, string Title, string MeasureName, IsoWeek AdoptedWeek, string? RebasedBy, ChartImage? Chart, string? ShiftSince = null);

/// <summary>
/// The card a coach brings to the weekly report-out: the headline, the box score in brief (how many measures are on,
/// near and off target, and which are off), and the signals in words, so the team discusses real change, not noise.
/// Charts appear per measure when the caller passes their images; the team's tests of change, with their
/// latest cycle notes and a form to add one, when the caller passes them.
/// </summary>
public static class ReportOutCard
{
    /// <param name="charts">Chart images by measure key; measures without one show no chart.</param>
    /// <param name="testsOfChange">The team's tests of change; null leaves the section out.</param>
    /// <param name="adoptedChanges">Adopted changes to show with their measure's chart and the coach's rebase button; null or empty leaves the section out.</param>
    public static AdaptiveCard Build(TeamProfile team, BoxScore score, IReadOnlyDictionary<string, ChartImage>? charts = null,
        IReadOnlyList<TestOfChange>? testsOfChange = null, MeasureSet? measures = null, IReadOnlyList<AdoptedChangeItem>? adoptedChanges = null)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(score);
        charts ??= new Dictionary<string, ChartImage>();

        var body = new List<CardElement>
        {
            new TextBlock($"Report-out: {team.Name}, week {score.Week}") { Size = TextSize.Large, Weight = FontWeight.Bolder, Style = TextBlockStyle.Heading },
            new TextBlock(BoxScoreText.Dates(score.Week)) { IsSubtle = true, Spacing = Spacing.None },
        };
        if (score.Headline is { } headline)
        {
            body.Add(BoxScoreCard.Headline(headline));
            if (charts.GetValueOrDefault(headline.Key) is { } chart) body.Add(Chart(chart));
        }
        body.AddRange(BoxScoreCard.Notes(score));
        body.Add(new TextBlock(BoxScoreText.SymbolKey) { Size = TextSize.Small, IsSubtle = true, Spacing = Spacing.Medium });

        body.Add(Heading("The box score in brief"));
        var counts = new List<TextRun>();
        foreach (var rating in new[] { Rating.Green, Rating.Amber, Rating.Red })
        {
            var count = score.Count(rating);
            if (count > 0) counts.Add(new TextRun($"{BoxScoreText.RatingText(rating)}: {count}   ") { Weight = FontWeight.Bolder });
        }
        var noTarget = score.Lines.Count(l => l.Rating == Rating.None && l.Measure.Target is null);
        if (noTarget > 0) counts.Add(new TextRun($"{BoxScoreText.RatingText(Rating.None)}: {noTarget}   "));
        var noValue = score.Lines.Count(l => l.Rating == Rating.None && l.Measure.Target is not null);
        if (noValue > 0) counts.Add(new TextRun($"○ Not rated, {BoxScoreLine.NoValueThisWeek}: {noValue}"));
        body.Add(new RichTextBlock(counts) { Spacing = Spacing.Small });

        var offTarget = score.Lines.Where(l => l.Rating is Rating.Red or Rating.Amber).OrderByDescending(l => l.Rating).ToList();
        if (offTarget.Count > 0)
        {
            // Facts side by side at standard widths; on phones the title column would squeeze the names, so stacked.
            body.Add(new FactSet(offTarget.Select(l => new Fact(CardText.Escape(BoxScoreText.Name(l)), OffTargetFact(l))).ToList())
            {
                Spacing = Spacing.Small,
                TargetWidth = TargetWidth.AtLeastStandard,
            });
            body.Add(new Container(offTarget.SelectMany(l => new CardElement[]
            {
                new TextBlock(CardText.Escape(BoxScoreText.Name(l))) { Weight = FontWeight.Bolder, Spacing = Spacing.Small },
                new TextBlock(OffTargetFact(l)) { Spacing = Spacing.None },
            }).ToList())
            {
                Spacing = Spacing.Small,
                TargetWidth = TargetWidth.AtMostNarrow,
            });
        }

        body.Add(Heading("Signals: what is real change, not noise"));
        var signals = SignalsInOrder(score);
        if (signals.Count == 0)
        {
            body.Add(new TextBlock("No signals this week: every measure is within its usual variation. Avoid reacting to a single week's ups and downs.") { Spacing = Spacing.Small });
        }
        foreach (var line in signals)
        {
            body.Add(new RichTextBlock(
            [
                new TextRun(BoxScoreText.Name(line) + ": ") { Weight = FontWeight.Bolder },
                new TextRun(line.SignalText),
                new TextRun(line.Signal?.RuleSet == SignalRuleSet.RunChart ? " (run chart rules)" : " (SPC, Making Data Count rules)") { IsSubtle = true },
            ]) { Spacing = Spacing.Small });
            if (charts.GetValueOrDefault(line.Key) is { } chart && line.Key != score.Headline?.Key) body.Add(Chart(chart));
        }

        if (adoptedChanges is { Count: > 0 }) body.AddRange(AdoptedChanges(team, score.Week, adoptedChanges));

        var actions = new List<CardAction> { CardActions.Execute("Full box score", BoxScoreVerbs.ShowBoxScore, BoxScoreText.WeekData(team.Id, score.Week)) };
        if (testsOfChange is not null)
        {
            body.AddRange(TestsOfChangeSection.Elements(team, testsOfChange, measures, adoptedChanges?.Select(a => a.TestId).ToHashSet(StringComparer.Ordinal)));
            if (TestsOfChangeSection.AddNoteAction(team, testsOfChange) is { } addNote) actions.Add(addNote);
        }

        return new AdaptiveCard
        {
            Body = body,
            Actions = actions,
            FallbackText = $"Report-out for {team.Name}, week {score.Week}: {score.Count(Rating.Red)} off target, {signals.Count} signal{(signals.Count == 1 ? "" : "s")}.",
            Speak = $"Report-out for {team.Name}, week {score.Week}",
        };
    }

    /// <summary>Each adopted change in words next to its measure's chart (which marks the week), and the coach's choice to rebase.</summary>
    private static IEnumerable<CardElement> AdoptedChanges(TeamProfile team, IsoWeek week, IReadOnlyList<AdoptedChangeItem> items)
    {
        yield return Heading("Changes adopted");
        foreach (var item in items)
        {
            yield return new RichTextBlock(
            [
                new TextRun(item.MeasureName + ": ") { Weight = FontWeight.Bolder },
                new TextRun($"{item.TestId} {item.Title} was adopted in {item.AdoptedWeek}"
                    + (item.Chart is null ? "." : $"; the chart marks it with a dashed vertical line labelled \"{item.TestId} adopted\".")),
            ]) { Spacing = Spacing.Small };
            yield return new TextBlock(item.RebasedBy is { } by
                ? $"Limits rebased from {item.AdoptedWeek} (confirmed by {CardText.Escape(by)}): the centre line and limits from then on come from the weeks since the change. To undo: pdsa {item.TestId} rebase undo."
                : item.ShiftSince is { } shift
                    ? $"A sustained shift: {shift} (the SPC shift rule). The limits drawn across the change no longer describe how the team works now: the coach can start new limits from {item.AdoptedWeek}."
                    : $"Limits not rebased yet. Once the change is how the team works, the coach can start new limits from {item.AdoptedWeek}.")
            {
                Wrap = true, IsSubtle = item.RebasedBy is null && item.ShiftSince is null, Spacing = Spacing.None,
            };
            if (item.Chart is { } chart) yield return Chart(chart);
            if (item.RebasedBy is null)
            {
                yield return new ActionSet(
                [
                    CardActions.Execute($"Rebase limits from {item.AdoptedWeek}", RebaseLimitsAction.VerbName, new Dictionary<string, object?>
                    {
                        [RebaseLimitsAction.TeamKey] = team.Id, [RebaseLimitsAction.TestKey] = item.TestId, [RebaseLimitsAction.WeekKey] = week.ToString(),
                    }),
                ]) { Spacing = Spacing.Small };
            }
        }
    }

    /// <summary>"3 against 1 · ✖ Off target · ▲ 1 worse": an off-target measure in the brief.</summary>
    private static string OffTargetFact(BoxScoreLine line) =>
        $"{line.ThisWeekText} against {line.TargetText} · {BoxScoreText.RatingText(line.Rating)}" + (line.Change.Difference is null ? string.Empty : $" · {line.ChangeText}");

    private static TextBlock Heading(string text) =>
        new(text) { Weight = FontWeight.Bolder, Size = TextSize.Medium, Spacing = Spacing.Large, Separator = true };

    /// <summary>The measures with a signal this week, in the order the card lists them: concerns, then improvements, then the rest.</summary>
    public static IReadOnlyList<BoxScoreLine> SignalsInOrder(BoxScore score) =>
        score.Lines.Where(l => l.HasSignal).OrderBy(l => l.SpecialCause switch { SpecialCause.Concern => 0, SpecialCause.Improvement => 1, _ => 2 }).ToList();

    private static Image Chart(ChartImage chart) =>
        new(chart.Url, chart.AltText) { Size = ImageSize.Stretch, MsTeams = new TeamsImageProperties(AllowExpand: true), Spacing = Spacing.Small };
}
