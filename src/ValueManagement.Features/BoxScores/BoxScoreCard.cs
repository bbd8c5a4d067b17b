using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Capture;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.BoxScores;

/// <summary>
/// The weekly one-page box score a manager reads: the headline (cost per patient per week) at the top, then one table
/// row per measure grouped by category: this week with its rating (symbol and colour, explained by the key above the
/// table), last week, target, change and signal. Teams clients without Table support get a list with the same facts.
/// </summary>
/// <remarks>
/// With 30 measures the table is most of the card, and every cell costs its JSON wrapping whatever it holds: the rating
/// shares the "This week" cell rather than having a column of its own, and the fallback list is one block of text.
/// That keeps a 30-measure card near 19 KB, well under Teams' 28 KB.
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
        body.Add(new TextBlock(BoxScoreText.RatingKey) { Size = TextSize.Small, IsSubtle = true, Spacing = Spacing.Medium });
        body.Add(MeasuresTable(score));

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
            details.Add(new TextRun($"{line.ChangeText} than last week ({line.LastWeekText})  ") { Color = BoxScoreText.ChangeColor(line.Change.Quality) });
        else
            details.Add(new TextRun($"Last week {line.LastWeekText}  "));
        if (line.Measure.Target is not null)
        {
            details.Add(new TextRun($"Target {line.TargetText}  "));
            details.Add(new TextRun(BoxScoreText.RatingText(line)) { Color = BoxScoreText.RatingColor(line.Rating), Weight = FontWeight.Bolder });
        }

        var trend = BoxScoreText.Sparkline(line.Recent);
        return new Container(
        [
            new TextBlock(CardText.Escape(BoxScoreText.Name(line))) { Weight = FontWeight.Bolder },
            new TextBlock(line.ThisWeekText) { Size = TextSize.ExtraLarge, Weight = FontWeight.Bolder, Spacing = Spacing.None, Color = BoxScoreText.RatingColor(line.Rating) },
            new RichTextBlock(details) { Spacing = Spacing.Small },
            new TextBlock($"Signal: {line.SignalText}" + (trend.Trim().Length > 0 ? $" · last 12 weeks {trend}" : string.Empty))
            {
                Size = TextSize.Small,
                Color = BoxScoreText.SignalColor(line.SpecialCause),
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
            yield return new TextBlock($"No figures have been recorded for {score.Week} yet.") { Color = TextColor.Attention, Weight = FontWeight.Bolder };
        else if (!score.Completeness.IsComplete)
            yield return new TextBlock($"Still missing: {string.Join(", ", score.Completeness.MissingRequired.Select(m => m.Name))}") { Color = TextColor.Attention };
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
                    Cell(BoxScoreText.RatedValue(line), BoxScoreText.RatingColor(line.Rating)),
                    Cell(line.LastWeekText),
                    Cell(line.TargetText),
                    Cell(line.ChangeText, BoxScoreText.ChangeColor(line.Change.Quality)),
                    Cell(line.SignalText, BoxScoreText.SignalColor(line.SpecialCause)),
                ]));
            }
        }

        return new Table(Widths.Select(w => new TableColumnDefinition(w)).ToList(), rows)
        {
            Spacing = Spacing.Small,
            GridStyle = ContainerStyle.Accent,
            Fallback = ListFallback(score),
        };
    }

    private static TableCell Cell(string text, TextColor? color = null, FontWeight? weight = null) =>
        new([new TextBlock(text) { Color = color, Weight = weight }]);

    /// <summary>For clients that cannot show a Table: each category as a list, one line per measure, in one block of text.</summary>
    private static Container ListFallback(BoxScore score)
    {
        var text = string.Join("\n\n", score.ByCategory().Select(category =>
            $"**{category.Key.DisplayName()}**\n" + string.Join("\n", category.Select(l => "- " + BoxScoreText.OneLine(l)))));
        return new Container([new TextBlock(text) { Size = TextSize.Small }]);
    }

    private static string FallbackText(TeamProfile team, BoxScore score) =>
        score.Headline is { } headline
            ? $"{team.Name} box score {score.Week}: {headline.Measure.Name} {headline.ThisWeekText}, {score.Count(Rating.Red)} off target."
            : $"{team.Name} box score {score.Week}: {score.Count(Rating.Red)} off target.";
}
