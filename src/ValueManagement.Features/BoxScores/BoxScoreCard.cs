using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Capture;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.BoxScores;

/// <summary>
/// The weekly one-page box score a manager reads: the headline (cost per patient per week) at the top, then the
/// measures grouped by category: this week with its rating (symbol, and a tinted cell, explained by the key above),
/// last week, target, change and signal. Teams shows a table at standard and wide card widths and, on phones (narrow),
/// a stacked list of the same facts, two lines per measure, so no column is squeezed until words break.
/// </summary>
/// <remarks>
/// With 30 measures the table is most of the card, and every cell costs its JSON wrapping whatever it holds: the rating
/// shares the "This week" cell rather than having a column of its own, and the stacked list is two text blocks per
/// measure. That keeps a 30-measure card with both layouts near 23 KB, under Teams' 28 KB. The stacked list also serves
/// clients without Table support (which drop the table), so the facts are not sent a third time.
/// </remarks>
public static class BoxScoreCard
{
    private static readonly string[] Headers = ["Measure", "This week", "Last week", "Target", "Change", "Signal"];
    private static readonly int[] Widths = [5, 3, 3, 3, 3, 5];

    public static AdaptiveCard Build(TeamProfile team, BoxScore score)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(score);

        var body = new List<CardElement>
        {
            new TextBlock($"{team.Name}: box score, week {score.Week}") { Size = TextSize.Large, Weight = FontWeight.Bolder, Style = TextBlockStyle.Heading },
            new TextBlock(BoxScoreText.Dates(score.Week)) { IsSubtle = true, Spacing = Spacing.None },
        };

        if (score.Headline is { } headline) body.Add(Headline(headline));
        body.AddRange(Notes(score));
        body.Add(new TextBlock(BoxScoreText.SymbolKey) { Size = TextSize.Small, IsSubtle = true, Spacing = Spacing.Medium });
        body.Add(MeasuresTable(score));
        body.Add(MeasuresStacked(score));

        return new AdaptiveCard
        {
            Body = body,
            Actions =
            [
                CardActions.Execute("Full report", BoxScoreVerbs.ShowReport, BoxScoreText.WeekData(team.Id, score.Week)),
                CardActions.Execute(score.HasFigures ? "Change figures" : "Enter figures", CaptureVerbs.EditWeek, BoxScoreText.WeekData(team.Id, score.Week)),
            ],
            FallbackText = FallbackText(team, score),
            Speak = $"{team.Name} box score for week {score.Week}",
        };
    }

    /// <summary>The headline measure, large, with its change, target, rating and signal.</summary>
    public static Container Headline(BoxScoreLine line)
    {
        var details = new List<TextRun>();
        if (line.Change.Difference is not null)
            details.Add(new TextRun($"{line.ChangeText} since last week ({line.LastWeekText})  "));
        else
            details.Add(new TextRun($"Last week {line.LastWeekText}  "));
        if (line.Measure.Target is not null)
        {
            details.Add(new TextRun($"Target {line.TargetText}  "));
            details.Add(new TextRun(BoxScoreText.RatingText(line)) { Weight = FontWeight.Bolder });
        }

        var trend = BoxScoreText.Sparkline(line.Recent);
        return new Container(
        [
            new TextBlock(CardText.Escape(BoxScoreText.Name(line))) { Weight = FontWeight.Bolder },
            new TextBlock(line.ThisWeekText) { Size = TextSize.ExtraLarge, Weight = FontWeight.Bolder, Spacing = Spacing.None },
            new RichTextBlock(details) { Spacing = Spacing.Small },
            new TextBlock($"Signal: {line.SignalText}" + (trend.Trim().Length > 0 ? $" · last 12 weeks {trend}" : string.Empty))
            {
                Size = TextSize.Small,
                Spacing = Spacing.Small,
            },
        ])
        {
            Style = ContainerStyle.Emphasis,
            Spacing = Spacing.Medium,
        };
    }

    /// <summary>Whether the week is complete: figures still missing, finance data still to come.</summary>
    public static IEnumerable<CardElement> Notes(BoxScore score)
    {
        if (!score.HasFigures)
            yield return new TextBlock($"No figures have been recorded for {score.Week} yet.") { Weight = FontWeight.Bolder };
        else if (!score.Completeness.IsComplete)
            yield return new TextBlock($"Still missing: {string.Join(", ", score.Completeness.MissingRequired.Select(m => m.Name))}") { Weight = FontWeight.Bolder };
        if (score.Completeness.AwaitingImport.Count > 0)
            yield return new TextBlock($"⏳ Awaiting finance data: {string.Join(", ", score.Completeness.AwaitingImport.Select(m => m.Name))}") { IsSubtle = true, Spacing = Spacing.Small };
    }

    private static Table MeasuresTable(BoxScore score)
    {
        var rows = new List<TableRow> { new(Headers.Select(h => Cell(h)).ToList()) };
        foreach (var category in score.ByCategory())
        {
            rows.Add(new TableRow([Cell(category.Key.DisplayName(), weight: FontWeight.Bolder)]) { Style = ContainerStyle.Emphasis });
            foreach (var line in category)
            {
                rows.Add(new TableRow(
                [
                    Cell(CardText.Escape(BoxScoreText.Name(line))),
                    Cell(BoxScoreText.RatedValue(line)) with { Style = BoxScoreText.RatingStyle(line.Rating) },
                    Cell(line.LastWeekText),
                    Cell(line.TargetText),
                    Cell(line.ChangeText),
                    Cell(line.SignalText),
                ]));
            }
        }

        return new Table(Widths.Select(w => new TableColumnDefinition(w)).ToList(), rows)
        {
            Spacing = Spacing.Small,
            GridStyle = ContainerStyle.Accent,
            TargetWidth = TargetWidth.AtLeastStandard,
        };
    }

    /// <summary>The phone layout: each category's measures one under another, two lines each.</summary>
    private static Container MeasuresStacked(BoxScore score)
    {
        var items = new List<CardElement>();
        foreach (var category in score.ByCategory())
        {
            items.Add(new TextBlock(category.Key.DisplayName()) { Weight = FontWeight.Bolder, Size = TextSize.Medium, Spacing = Spacing.Medium, Separator = true });
            foreach (var line in category) items.AddRange(Stacked(line));
        }
        return new Container(items) { Spacing = Spacing.Small, TargetWidth = TargetWidth.AtMostNarrow };
    }

    /// <summary>One measure in the stacked layout: name, value, rating and target; then last week, change and signal.</summary>
    public static IEnumerable<CardElement> Stacked(BoxScoreLine line)
    {
        yield return new TextBlock(BoxScoreText.StackedHead(line)) { Weight = FontWeight.Bolder, Spacing = Spacing.Small };
        yield return new TextBlock(BoxScoreText.StackedDetail(line)) { Size = TextSize.Small, Spacing = Spacing.None };
    }

    private static TableCell Cell(string text, FontWeight? weight = null) =>
        new([new TextBlock(text) { Weight = weight }]);

    private static string FallbackText(TeamProfile team, BoxScore score) =>
        score.Headline is { } headline
            ? $"{team.Name} box score {score.Week}: {headline.Measure.Name} {headline.ThisWeekText}, {score.Count(Rating.Red)} off target."
            : $"{team.Name} box score {score.Week}: {score.Count(Rating.Red)} off target.";
}
