using System.Globalization;
using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Signals;
using ValueManagement.Core.Weeks;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.BoxScores;

/// <summary>
/// How box-score facts read on cards. Colour is never the only signal: every rating carries a symbol and a word,
/// every change an arrow and "better"/"worse". Ratings use ● ◐ ✖ (not ▲, which on these cards means "went up").
/// </summary>
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

    /// <summary>What the symbols next to values mean, for the line above a table of rated values.</summary>
    public static string RatingKey { get; } = string.Join(" · ", new[] { Rating.Green, Rating.Amber, Rating.Red }.Select(RatingText));

    /// <summary>The week's value with its rating's symbol in front: "✖ 3", "● £438.50"; just the value when not rated.</summary>
    public static string RatedValue(BoxScoreLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var symbol = RatingSymbol(line.Rating);
        return symbol.Length == 0 ? line.ThisWeekText : $"{symbol} {line.ThisWeekText}";
    }

    public static TextColor? RatingColor(Rating rating) => rating switch
    {
        Rating.Green => TextColor.Good,
        Rating.Amber => TextColor.Warning,
        Rating.Red => TextColor.Attention,
        _ => null,
    };

    public static TextColor? ChangeColor(ChangeQuality quality) => quality switch
    {
        ChangeQuality.Better => TextColor.Good,
        ChangeQuality.Worse => TextColor.Attention,
        _ => null,
    };

    public static TextColor? SignalColor(SpecialCause cause) => cause switch
    {
        SpecialCause.Improvement => TextColor.Good,
        SpecialCause.Concern => TextColor.Attention,
        SpecialCause.Neutral => TextColor.Accent,
        _ => null,
    };

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
    /// One line for fallbacks and plain text, the rating as its symbol (see <see cref="RatingKey"/>) and the signal only
    /// when there is one: "**Falls** ✖ 3 (▲ 1 worse); last 2 · target 1 · ▼ worsening: 7 weeks above average".
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
