using ValueManagement.Core.Measures;
using ValueManagement.Core.Signals;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.BoxScores;

/// <summary>One stored week of a team's figures as entered or imported (derived measures are worked out from these).</summary>
public sealed record WeekValues(IsoWeek Week, IReadOnlyDictionary<string, double?> Values);

/// <summary>Which way a value moved since the previous one, as the card's arrow shows it.</summary>
public enum ChangeArrow
{
    /// <summary>No change to compare: this or the previous value is missing.</summary>
    None,
    Up,
    Down,
    Level,
}

/// <summary>Whether a change is good news, given the measure's direction.</summary>
public enum ChangeQuality
{
    /// <summary>No change to compare.</summary>
    None,
    Better,
    Worse,
    /// <summary>No change (as shown, after rounding).</summary>
    Same,
    /// <summary>The measure has no better direction.</summary>
    Neutral,
}

/// <summary>The change from the previous value to this one, rounded as the card shows the values.</summary>
public sealed record BoxScoreChange(double? Difference, ChangeArrow Arrow, ChangeQuality Quality)
{
    public static BoxScoreChange None { get; } = new(null, ChangeArrow.None, ChangeQuality.None);

    /// <summary>"▲", "▼", "▶", or empty when there is nothing to compare.</summary>
    public string Symbol => Arrow switch
    {
        ChangeArrow.Up => "▲",
        ChangeArrow.Down => "▼",
        ChangeArrow.Level => "▶",
        _ => string.Empty,
    };

    /// <summary>"better", "worse", "no change", "" (neutral or nothing to compare).</summary>
    public string Word => Quality switch
    {
        ChangeQuality.Better => "better",
        ChangeQuality.Worse => "worse",
        ChangeQuality.Same => "no change",
        _ => string.Empty,
    };
}

/// <summary>One measure's line on the box score for one week.</summary>
/// <param name="ThisWeek">The week's value; for a sampled measure the latest sample up to the week (see <see cref="SampleWeek"/>).</param>
/// <param name="LastWeek">The previous week's value; for a sampled measure the sample before.</param>
/// <param name="SampleWeek">For a sampled measure, the week <see cref="ThisWeek"/> was sampled in; null otherwise or when never sampled.</param>
/// <param name="LastWeekWeek">The week <see cref="LastWeek"/> belongs to (the week before, or the previous sample's week).</param>
/// <param name="Recent">The last 12 weeks, oldest first (null = no value); for a sampled measure the last 12 samples.</param>
/// <param name="Signal">Signal or noise over the measure's history up to the week; null when there are no values at all.</param>
public sealed record BoxScoreLine(
    MeasureDefinition Measure,
    double? ThisWeek,
    double? LastWeek,
    IsoWeek? SampleWeek,
    IsoWeek? LastWeekWeek,
    BoxScoreChange Change,
    Rating Rating,
    IReadOnlyList<double?> Recent,
    SignalResult? Signal)
{
    public string Key => Measure.Key;
    public double? Target => Measure.Target;

    /// <summary>Whether the week has a value (for a sampled measure: whether it was ever sampled).</summary>
    public bool HasValue => ThisWeek is not null;

    /// <summary>
    /// The special cause on this week's point: none when noise, no data, or no value this week (the latest analysed
    /// point is then an earlier week's, see <see cref="LastValuePoint"/>).
    /// </summary>
    public SpecialCause SpecialCause => HasValue && LastValuePoint is { } point ? point.SpecialCause : SpecialCause.None;

    public bool HasSignal => SpecialCause != SpecialCause.None;

    /// <summary>The latest analysed point: this week's when it has a value, else the last week with one; null without data.</summary>
    public SignalPoint? LastValuePoint => Signal is { Points.Count: > 0 } s ? s.Points[^1] : null;

    /// <summary>The value as the card shows it, or why there is none: "awaiting finance data", "not recorded", "—".</summary>
    public string ThisWeekText => ThisWeek is not null ? MeasureFormat.Format(Measure, ThisWeek) : MissingText(Measure);

    public string LastWeekText => MeasureFormat.Format(Measure, LastWeek);

    public string TargetText => Measure.Target is { } target ? MeasureFormat.Format(Measure, target) : MeasureFormat.Missing;

    /// <summary>"▲ 1 worse", "▼ £12.30 better", "▲ 0.7 points better" (percentages), "▶ no change", "▲ 4" (neutral), or "—".</summary>
    public string ChangeText
    {
        get
        {
            if (Change.Difference is not { } difference) return MeasureFormat.Missing;
            if (Change.Arrow == ChangeArrow.Level) return "▶ no change";
            var size = MeasureFormat.FormatDifference(Measure, Math.Abs(difference));
            return Change.Word.Length == 0 ? $"{Change.Symbol} {size}" : $"{Change.Symbol} {size} {Change.Word}";
        }
    }

    /// <summary>
    /// The signal in words: "⊕ improving: 7 weeks below average", "no signal", "no data yet"; without a value this week,
    /// "no value this week", with the last value's signal dated: "no value this week; last value 2026-W46: ⊕ improving".
    /// </summary>
    public string SignalText
    {
        get
        {
            if (Signal is null) return "no data yet";
            if (!HasValue) return LastValueSignalText is { } last ? $"{NoValueThisWeek}; {last}" : NoValueThisWeek;
            return HasSignal ? Signal.Description : "no signal";
        }
    }

    /// <summary>Without a value this week, the signal of the last week with one, dated: "last value 2026-W46: ⊕ improving"; else null.</summary>
    public string? LastValueSignalText =>
        !HasValue && LastValuePoint is { SpecialCause: not SpecialCause.None } last ? $"last value {last.Label}: {SignalDescriber.Head(last)}" : null;

    public const string NoValueThisWeek = "no value this week";

    /// <summary>Why a measure has no value this week.</summary>
    public static string MissingText(MeasureDefinition measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        return measure.Source switch
        {
            MeasureSource.Imported => "awaiting finance data",
            MeasureSource.Entered => "not recorded",
            _ => MeasureFormat.Missing,
        };
    }
}

/// <summary>A team's box score for one week: every measure of its set, the headline, and whether the week is complete.</summary>
/// <param name="Lines">One per measure, in the set's order.</param>
/// <param name="Headline">The headline measure's line (cost per patient per week by default); null when the set has none.</param>
/// <param name="HasFigures">Whether anything at all was recorded for the week.</param>
public sealed record BoxScore(
    MeasureSet Measures,
    IsoWeek Week,
    IReadOnlyList<BoxScoreLine> Lines,
    BoxScoreLine? Headline,
    WeekCompleteness Completeness,
    bool HasFigures)
{
    public BoxScoreLine? Line(string key) => Lines.FirstOrDefault(l => l.Key == key);

    public int Count(Rating rating) => Lines.Count(l => l.Rating == rating);

    public int Count(SpecialCause cause) => Lines.Count(l => l.SpecialCause == cause);

    /// <summary>Lines grouped by category, in the card's category order.</summary>
    public IEnumerable<IGrouping<MeasureCategory, BoxScoreLine>> ByCategory() =>
        Lines.GroupBy(l => l.Measure.Category).OrderBy(g => g.Key);
}

/// <summary>
/// What a roll-up reads of a team's box score (<see cref="BoxScoreCalculator.Summarize"/>): every measure's rating and
/// latest special cause, and full lines only where they are shown.
/// </summary>
/// <param name="Ratings">Per measure, in the set's order.</param>
/// <param name="SpecialCauses">The special cause on each measure's latest point, in the set's order.</param>
/// <param name="Headline">The headline measure's full line; null when the set has none.</param>
/// <param name="Lines">The full lines asked for, in the set's order.</param>
public sealed record BoxScoreSummary(
    MeasureSet Measures,
    IsoWeek Week,
    IReadOnlyList<Rating> Ratings,
    IReadOnlyList<SpecialCause> SpecialCauses,
    BoxScoreLine? Headline,
    IReadOnlyList<BoxScoreLine> Lines,
    WeekCompleteness Completeness,
    bool HasFigures)
{
    public int Count(Rating rating) => Ratings.Count(r => r == rating);

    public int Count(SpecialCause cause) => SpecialCauses.Count(c => c == cause);

    /// <summary>Measures with any special cause on their latest point.</summary>
    public int Signals => SpecialCauses.Count(c => c != SpecialCause.None);
}
