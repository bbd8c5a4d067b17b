using System.Globalization;
using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Weeks;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.BoxScores;

/// <summary>
/// How box-score facts read on cards, with one meaning per symbol on every card: ● ◐ ✖ ○ are ratings against target,
/// ▲ ▼ ▶ only the direction the value moved since last week (with "better"/"worse" in words), ⊕ ⊖ ◆ the signal of
/// the SPC or run chart rules. <see cref="SymbolKey"/> says so on each card that shows them.
/// </summary>
/// <remarks>
/// Colour is never the only signal, and text is never coloured by meaning: Teams' good, warning and attention text colours
/// fall below WCAG AA (4.5:1) in its light or dark theme. Meaning is carried by symbols and words in the default
/// text colour; a rating may add a tinted cell (<see cref="RatingStyle"/>), whose text Teams draws in the default colour.
/// </remarks>
public static class BoxScoreText
{
    /// <summary>"● On target", "◐ Near target", "✖ Off target", "○ No target".</summary>
    public static string RatingText(Rating rating) => (rating == Rating.None ? "○" : RatingSymbol(rating)) + " " + rating.Label();

    /// <summary>
    /// A line's rating in words: <see cref="RatingText(Rating)"/>, but a week without a value says so ("○ Not rated:
    /// awaiting finance data", "○ Not rated: not recorded", "○ Not rated: no value this week"), never "No target".
    /// </summary>
    public static string RatingText(BoxScoreLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.HasValue || line.Measure.Target is null) return RatingText(line.Rating);
        var why = line.Measure.Source == MeasureSource.Derived ? BoxScoreLine.NoValueThisWeek : BoxScoreLine.MissingText(line.Measure);
        return $"○ Not rated: {why}";
    }

    /// <summary>"●", "◐", "✖", or empty when not rated: the symbol a rating shows next to a value.</summary>
    public static string RatingSymbol(Rating rating) => rating switch
    {
        Rating.Green => "●",
        Rating.Amber => "◐",
        Rating.Red => "✖",
        _ => string.Empty,
    };

    /// <summary>What every symbol on a box-score card means, for the line above the measures.</summary>
    public static string SymbolKey { get; } =
        "Key: " + string.Join(" · ", new[] { Rating.Green, Rating.Amber, Rating.Red }.Select(RatingText))
        + " · ▲ ▼ ▶ up, down, level since last week · signals: ⊕ improving, ⊖ worsening, ◆ unusual variation";

    /// <summary>The week's value with its rating's symbol in front: "✖ 3", "● £438.50"; just the value when not rated.</summary>
    public static string RatedValue(BoxScoreLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var symbol = RatingSymbol(line.Rating);
        return symbol.Length == 0 ? line.ThisWeekText : $"{symbol} {line.ThisWeekText}";
    }

    /// <summary>The tint of a rated value's cell: a second cue beside the symbol, with text in the default colour.</summary>
    public static ContainerStyle? RatingStyle(Rating rating) => rating switch
    {
        Rating.Green => ContainerStyle.Good,
        Rating.Amber => ContainerStyle.Warning,
        Rating.Red => ContainerStyle.Attention,
        _ => null,
    };

    /// <summary>"Falls: ✖ 3 · target 1": the first line of a measure in the stacked (phone) layout, the name escaped as markdown.</summary>
    public static string StackedHead(BoxScoreLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return $"{CardText.Escape(Name(line))}: {RatedValue(line)}" + (line.Measure.Target is null ? string.Empty : $" · target {line.TargetText}");
    }

    /// <summary>"Last week 2 · ▲ 1 worse · ⊖ worsening: 7 weeks above average": the second line in the stacked layout.</summary>
    public static string StackedDetail(BoxScoreLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var change = line.Change.Difference is null ? string.Empty : $" · {line.ChangeText}";
        var signal = line.HasSignal ? $" · {line.SignalText}" : string.Empty;
        return $"Last week {line.LastWeekText}{change}{signal}";
    }

    /// <summary>The measure's name, with the sample's week for a sampled measure: "RN time in direct care (sampled 2026-W45)".</summary>
    public static string Name(BoxScoreLine line) =>
        line.Measure.IsSampled
            ? line.SampleWeek is { } week ? $"{line.Measure.Name} (sampled {week})" : $"{line.Measure.Name} (sampled; none yet)"
            : line.Measure.Name;

    /// <summary>A text sparkline of the recent values, gaps as spaces: "▂▃▅▇▆▅".</summary>
    public static string Sparkline(IReadOnlyList<double?> values)
    {
        const string bars = "▁▂▃▄▅▆▇█";
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        if (present.Count == 0) return string.Empty;
        var min = present.Min();
        var max = present.Max();
        return string.Concat(values.Select(v => v is not { } x ? ' '
            : max == min ? bars[3] : bars[(int)Math.Round((x - min) / (max - min) * (bars.Length - 1))]));
    }

    /// <summary>"Mon 23 Nov to Sun 29 Nov 2026".</summary>
    public static string Dates(IsoWeek week) =>
        $"Mon {week.Monday.ToString("d MMM", CultureInfo.InvariantCulture)} to Sun {week.Sunday.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// One line for fallbacks and plain text, the rating as its symbol (see <see cref="SymbolKey"/>) and the signal only
    /// when there is one: "**Falls** ✖ 3 (▲ 1 worse); last 2 · target 1 · ⊖ worsening: 7 weeks above average".
    /// </summary>
    public static string OneLine(BoxScoreLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var change = line.Change.Difference is null ? string.Empty : $" ({line.ChangeText})";
        var target = line.Measure.Target is null ? string.Empty : $" · target {line.TargetText}";
        var signal = line.HasSignal ? $" · {line.SignalText}" : string.Empty;
        return $"**{CardText.Escape(Name(line))}** {RatedValue(line)}{change}; last {line.LastWeekText}{target}{signal}";
    }

    public static Dictionary<string, object?> WeekData(string teamId, IsoWeek week) => new()
    {
        [BoxScoreVerbs.TeamIdKey] = teamId,
        [BoxScoreVerbs.WeekKey] = week.ToString(),
    };
}
