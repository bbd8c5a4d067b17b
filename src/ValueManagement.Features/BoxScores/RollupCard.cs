using System.Text.Json;
using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Signals;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.BoxScores;

/// <summary>
/// The executives' roll-up: a service's or board's teams for one week, grouped by service with the teams that have
/// signals or red ratings first; per team the headline measure, its rating and signal, and what needs attention.
/// One page of <see cref="BoxScoreService.RollupPageSize"/> teams, with "More teams" for the next.
/// Teams shows a compact table (team, headline with its rating, signal; select a team for its box score) at standard and wide
/// card widths and, on phones (narrow), the stacked list: per team its lines, what needs a look, and a box-score button.
/// </summary>
/// <remarks>
/// Both layouts travel in one card, so the table is kept short: one line per team, the headline's signal in a word,
/// no reasons (the stacked list and the box score give them), and the headline's name in the header when every team
/// shares it. Each team's button stays in the stacked list; the table's team cell selects the same verb. A full page
/// of 15 teams with both layouts is about 21 KB (20 teams came to about 27 KB, hence 15 a page), under Teams' 28 KB. A page that would still exceed
/// <see cref="MaxBytes"/> (very long team, service or measure names) is sent with the stacked list alone, which fits
/// every width: the facts and buttons are all there, only the table is dropped.
/// </remarks>
public static class RollupCard
{
    /// <summary>The most a roll-up card may weigh with its table; above it the table is left out (see the remarks).</summary>
    public const int MaxBytes = 26 * 1024;

    public static AdaptiveCard Build(RollupScope scope, Rollup rollup, int offset = 0, int pageSize = BoxScoreService.RollupPageSize)
    {
        var card = Build(scope, rollup, offset, pageSize, withTable: true);
        return CardJson.SizeInBytes(card) <= MaxBytes ? card : Build(scope, rollup, offset, pageSize, withTable: false);
    }

    private static AdaptiveCard Build(RollupScope scope, Rollup rollup, int offset, int pageSize, bool withTable)
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

        if (withTable && page.Count > 0)
        {
            body.Add(new TextBlock("Select a team for its box score.") { Size = TextSize.Small, IsSubtle = true, Spacing = Spacing.None, TargetWidth = TargetWidth.AtLeastStandard });
            body.Add(Table(page, rollup));
        }

        var stacked = new List<CardElement>();
        string? service = null;
        foreach (var row in page)
        {
            if (row.ServiceId != service)
            {
                service = row.ServiceId;
                stacked.Add(new TextBlock(CardText.Escape(row.ServiceName)) { Weight = FontWeight.Bolder, Size = TextSize.Medium, Spacing = Spacing.Large, Separator = true, Color = TextColor.Accent });
            }
            stacked.Add(Row(row, rollup));
        }
        if (stacked.Count > 0)
            body.Add(new Container(stacked) { Spacing = Spacing.Large, TargetWidth = withTable ? TargetWidth.AtMostNarrow : null });

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

    private static readonly int[] Widths = [4, 5, 3];

    /// <summary>The wide layout: one line per team under its service, selecting the team opens its box score.</summary>
    private static Table Table(IReadOnlyList<RollupRow> page, Rollup rollup)
    {
        // One headline for the whole page (the usual case) goes in the header, not in every row.
        var headlines = page.Select(r => r.Headline?.Measure.Name).Distinct(StringComparer.Ordinal).ToList();
        var shared = headlines is [{ } only] ? only : null;
        var rows = new List<TableRow>
        {
            new([Cell("Team"), Cell(shared is null ? "Headline this week" : CardText.Escape(shared) + " this week"), Cell("Signal")]),
        };
        string? service = null;
        foreach (var row in page)
        {
            if (row.ServiceId != service)
            {
                service = row.ServiceId;
                rows.Add(new TableRow([Cell(CardText.Escape(row.ServiceName), FontWeight.Bolder)]) { Style = ContainerStyle.Emphasis });
            }
            // The rating shares the value's cell, as on the box score: its symbol (explained by the key) and a tint.
            var headline = row.Headline;
            var value = headline is null
                ? "No headline"
                : (shared is null ? CardText.Escape(headline.Measure.Name) + " " : string.Empty)
                  + BoxScoreText.RatedValue(headline) + (headline.Change.Difference is null ? string.Empty : $" {headline.ChangeText}")
                  + (headline.HasValue || headline.Measure.Target is null ? string.Empty : " (○ not rated)");
            var signal = headline is null ? "—"
                : !headline.HasValue ? "no value"
                : headline.SpecialCause switch
                {
                    SpecialCause.Improvement => "⊕ improving",
                    SpecialCause.Concern => "⊖ worsening",
                    SpecialCause.None => "no signal",
                    _ => "◆ unusual variation",
                };
            rows.Add(new TableRow(
            [
                new TableCell([new TextBlock((row.NeedsAttention ? "⚑ " : string.Empty) + CardText.Escape(row.TeamName))])
                {
                    SelectAction = SelectBoxScore(row, rollup),
                },
                Cell(value) with { Style = headline is null ? null : BoxScoreText.RatingStyle(headline.Rating) },
                Cell(signal),
            ]));
        }

        return new Table(Widths.Select(w => new TableColumnDefinition(w)).ToList(), rows)
        {
            Spacing = Spacing.Medium,
            GridStyle = ContainerStyle.Accent,
            TargetWidth = TargetWidth.AtLeastStandard,
        };
    }

    /// <summary>
    /// The verb and data of the team's box-score button, for a whole-cell click: with its Action.Submit fallback, but
    /// without titles (a cell shows its own text), which would cost about 2 KB on a full page.
    /// </summary>
    private static ExecuteAction SelectBoxScore(RollupRow row, Rollup rollup)
    {
        var data = BoxScoreText.WeekData(row.TeamId, rollup.Week);
        return new ExecuteAction(BoxScoreVerbs.ShowBoxScore)
        {
            Data = JsonSerializer.SerializeToElement(data),
            Fallback = new SubmitAction { Data = JsonSerializer.SerializeToElement(new Dictionary<string, object?>(data) { [CardActions.VerbKey] = BoxScoreVerbs.ShowBoxScore }) },
        };
    }

    private static TableCell Cell(string text, FontWeight? weight = null) =>
        new([new TextBlock(text) { Weight = weight }]);

    private static Container Row(RollupRow row, Rollup rollup)
    {
        // One text block (the rating in bold markdown) rather than a run per part: on a 20-team page the runs' JSON
        // would cost about 2 KB.
        string summary;
        if (row.Headline is { } headline)
        {
            summary = CardText.Escape($"{headline.Measure.Name} {headline.ThisWeekText}");
            if (headline.Change.Difference is not null) summary += CardText.Escape($" ({headline.ChangeText})");
            if (headline.Measure.Target is not null)
                summary += $"  **{CardText.Escape(BoxScoreText.RatingText(headline))}**";
            // Without a value this week the rating already says so: only the last value's signal, dated, is left to say.
            var signal = headline.HasValue || headline.Measure.Target is null ? headline.SignalText : headline.LastValueSignalText;
            if (signal is not null) summary += CardText.Escape($"  · {signal}");
        }
        else
        {
            summary = "No headline measure.";
        }

        var counts = $"{BoxScoreText.RatingText(Rating.Red)}: {row.Red} · {BoxScoreText.RatingText(Rating.Amber)}: {row.Amber} · {BoxScoreText.RatingText(Rating.Green)}: {row.Green} · signals: {row.Signals}";
        if (!row.HasFigures) counts = "No figures for this week yet · " + counts;
        else if (!row.IsComplete) counts = "Incomplete week · " + counts;

        var items = new List<CardElement>
        {
            new TextBlock((row.NeedsAttention ? "⚑ " : string.Empty) + CardText.Escape(row.TeamName)) { Weight = FontWeight.Bolder },
            new TextBlock(summary) { Spacing = Spacing.None },
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
