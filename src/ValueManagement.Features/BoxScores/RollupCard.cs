using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.BoxScores;

/// <summary>
/// The executives' roll-up: a service's or board's teams for one week, grouped by service with the teams that have
/// signals or red ratings first; per team the headline measure, its rating and signal, and what needs attention.
/// One page of <see cref="BoxScoreService.RollupPageSize"/> teams, with "More teams" for the next.
/// </summary>
public static class RollupCard
{
    public static AdaptiveCard Build(RollupScope scope, Rollup rollup, int offset = 0, int pageSize = BoxScoreService.RollupPageSize)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(rollup);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        offset = Math.Clamp(offset, 0, Math.Max(0, rollup.Rows.Count - 1));

        var page = rollup.Rows.Skip(offset).Take(pageSize).ToList();
        var body = new List<CardElement>
        {
            new TextBlock($"{scope.Name}: roll-up, week {rollup.Week}") { Size = TextSize.Large, Weight = FontWeight.Bolder, Style = TextBlockStyle.Heading },
            new TextBlock(rollup.Rows.Count == 0
                ? "No teams yet."
                : $"{rollup.TeamsNeedingAttention} of {rollup.Rows.Count} team{(rollup.Rows.Count == 1 ? "" : "s")} need a look (⚑, listed first in each service): {RollupCalculator.NeedsALookRule}. "
                  + (rollup.Rows.Count > pageSize ? $"Showing {offset + 1} to {offset + page.Count}." : string.Empty))
            {
                IsSubtle = true,
                Spacing = Spacing.None,
            },
        };

        body.Add(new TextBlock(BoxScoreText.SymbolKey + " · ⚑ needs a look") { Size = TextSize.Small, IsSubtle = true, Spacing = Spacing.Small });

        string? service = null;
        foreach (var row in page)
        {
            if (row.ServiceId != service)
            {
                service = row.ServiceId;
                body.Add(new TextBlock(CardText.Escape(row.ServiceName)) { Weight = FontWeight.Bolder, Size = TextSize.Medium, Spacing = Spacing.Large, Separator = true, Color = TextColor.Accent });
            }
            body.Add(Row(row, rollup));
        }

        var actions = new List<CardAction>();
        if (offset + page.Count < rollup.Rows.Count)
        {
            actions.Add(CardActions.Execute($"More teams ({rollup.Rows.Count - offset - page.Count} left)", BoxScoreVerbs.RollupMore, new Dictionary<string, object?>
            {
                [BoxScoreVerbs.ScopeKey] = scope.Kind.ToString(),
                [BoxScoreVerbs.ScopeIdKey] = scope.Id,
                [BoxScoreVerbs.WeekKey] = rollup.Week.ToString(),
                [BoxScoreVerbs.OffsetKey] = offset + page.Count,
            }));
        }

        return new AdaptiveCard
        {
            Body = body,
            Actions = actions.Count > 0 ? actions : null,
            FallbackText = $"{scope.Name} roll-up {rollup.Week}: {rollup.TeamsNeedingAttention} of {rollup.Rows.Count} teams need a look.",
            Speak = $"{scope.Name} roll-up for week {rollup.Week}",
        };
    }

    private static Container Row(RollupRow row, Rollup rollup)
    {
        var summary = new List<TextRun>();
        if (row.Headline is { } headline)
        {
            summary.Add(new TextRun($"{headline.Measure.Name} {headline.ThisWeekText}"));
            if (headline.Change.Difference is not null) summary.Add(new TextRun($" ({headline.ChangeText})"));
            if (headline.Measure.Target is not null)
                summary.Add(new TextRun("  " + BoxScoreText.RatingText(headline)) { Weight = FontWeight.Bolder });
            // Without a value this week the rating already says so: only the last value's signal, dated, is left to say.
            var signal = headline.HasValue || headline.Measure.Target is null ? headline.SignalText : headline.LastValueSignalText;
            if (signal is not null) summary.Add(new TextRun($"  · {signal}"));
        }
        else
        {
            summary.Add(new TextRun("No headline measure."));
        }

        var counts = $"{BoxScoreText.RatingText(Rating.Red)}: {row.Red} · {BoxScoreText.RatingText(Rating.Amber)}: {row.Amber} · {BoxScoreText.RatingText(Rating.Green)}: {row.Green} · signals: {row.Signals}";
        if (!row.HasFigures) counts = "No figures for this week yet · " + counts;
        else if (!row.IsComplete) counts = "Incomplete week · " + counts;

        var items = new List<CardElement>
        {
            new TextBlock((row.NeedsAttention ? "⚑ " : string.Empty) + CardText.Escape(row.TeamName)) { Weight = FontWeight.Bolder },
            new RichTextBlock(summary) { Spacing = Spacing.None },
            new TextBlock(counts) { Size = TextSize.Small, IsSubtle = true, Spacing = Spacing.None },
        };
        var reasons = row.Attention.Take(4).Select(l => $"{l.Measure.Name} (⊖ worsening)").ToList();
        if (row.Attention.Count > 4) reasons[^1] += $" and {row.Attention.Count - 4} more";
        if (row.HeadlineOffTargetAgain) reasons.Insert(0, $"{row.Headline!.Measure.Name} off target two weeks running");
        if (reasons.Count > 0)
        {
            items.Add(new TextBlock("Needs a look: " + CardText.Escape(string.Join(", ", reasons)))
            {
                Size = TextSize.Small,
                Spacing = Spacing.None,
            });
        }
        items.Add(new ActionSet([CardActions.Execute($"{row.TeamName} box score", BoxScoreVerbs.ShowBoxScore, BoxScoreText.WeekData(row.TeamId, rollup.Week))])
        {
            Spacing = Spacing.Small,
        });

        return new Container(items) { Spacing = Spacing.Medium };
    }
}
