using ValueManagement.Core.Measures;
using ValueManagement.Core.Signals;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.BoxScores;

/// <summary>How a box score is worked out.</summary>
public sealed record BoxScoreOptions
{
    public static BoxScoreOptions Default { get; } = new();

    /// <summary>The measure shown as the headline. Null: cost per patient per week when the set has it, else none.</summary>
    public string? HeadlineKey { get; init; }

    /// <summary>How many weeks the short trend (sparkline) covers.</summary>
    public int RecentWeeks { get; init; } = 12;

    /// <summary>The signal rules; direction and target come from each measure.</summary>
    public SignalOptions Signal { get; init; } = SignalOptions.Default;
}

/// <summary>
/// Works out a team's box score for a week from its stored weeks: pure, and linear in the number of weeks × measures
/// (derived measures are computed once per week with <see cref="MeasureSet.Compute"/>, each measure's signal once).
/// </summary>
public static class BoxScoreCalculator
{
    /// <summary>The headline the box score leads with when the options name none.</summary>
    public const string DefaultHeadlineKey = "costPerPatientWeek";

    /// <param name="history">The team's stored weeks in any order; weeks after <paramref name="week"/> are ignored.</param>
    public static BoxScore Compute(MeasureSet measures, IsoWeek week, IEnumerable<WeekValues> history, BoxScoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(measures);
        ArgumentNullException.ThrowIfNull(history);
        options ??= BoxScoreOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RecentWeeks, 1, nameof(options.RecentWeeks));

        var weeks = history.Where(h => h.Week <= week).OrderBy(h => h.Week).ToList();
        var computed = new IReadOnlyDictionary<string, double?>[weeks.Count];
        for (var i = 0; i < weeks.Count; i++) computed[i] = measures.Compute(weeks[i].Values);
        var indexOf = new Dictionary<IsoWeek, int>(weeks.Count);
        for (var i = 0; i < weeks.Count; i++) indexOf[weeks[i].Week] = i;

        var thisIndex = indexOf.TryGetValue(week, out var t) ? t : -1;
        var lastIndex = indexOf.TryGetValue(week.Previous(), out var l) ? l : -1;

        var lines = new List<BoxScoreLine>(measures.Measures.Count);
        var seriesWeeks = new List<int>(weeks.Count);
        var series = new List<SeriesPoint>(weeks.Count);
        foreach (var measure in measures.Measures)
        {
            seriesWeeks.Clear();
            series.Clear();
            for (var i = 0; i < weeks.Count; i++)
            {
                if (computed[i].GetValueOrDefault(measure.Key) is { } value)
                {
                    seriesWeeks.Add(i);
                    series.Add(new SeriesPoint(weeks[i].Week.ToString(), value));
                }
            }
            lines.Add(measure.IsSampled
                ? SampledLine(measure, weeks, seriesWeeks, series, options)
                : WeeklyLine(measure, week, weeks, computed, thisIndex, lastIndex, series, options));
        }

        var headlineKey = options.HeadlineKey ?? (measures.Find(DefaultHeadlineKey) is not null ? DefaultHeadlineKey : null);
        var headline = headlineKey is null ? null : lines.FirstOrDefault(x => x.Key == headlineKey);

        var thisWeekValues = thisIndex >= 0 ? weeks[thisIndex].Values : new Dictionary<string, double?>();
        var lastSampled = lines.Where(x => x.Measure.IsSampled).ToDictionary(x => x.Key, x => x.SampleWeek is { } w && w < week ? w : x.LastWeekWeek);
        var completeness = WeekCompleteness.Assess(measures, thisWeekValues,
            m => !m.IsSampled || m.IsDueIn(week, lastSampled.GetValueOrDefault(m.Key)));
        var hasFigures = thisWeekValues.Values.Any(v => v is not null);

        return new BoxScore(measures, week, lines, headline, completeness, hasFigures);
    }

    private static BoxScoreLine WeeklyLine(
        MeasureDefinition measure, IsoWeek week, List<WeekValues> weeks, IReadOnlyDictionary<string, double?>[] computed,
        int thisIndex, int lastIndex, List<SeriesPoint> series, BoxScoreOptions options)
    {
        var thisWeek = thisIndex >= 0 ? computed[thisIndex].GetValueOrDefault(measure.Key) : null;
        var lastWeek = lastIndex >= 0 ? computed[lastIndex].GetValueOrDefault(measure.Key) : null;

        var recent = new double?[options.RecentWeeks];
        var first = week.AddWeeks(-(options.RecentWeeks - 1));
        // Walk back from the end: only the last few stored weeks can fall in the window.
        for (var i = weeks.Count - 1; i >= 0 && weeks[i].Week >= first; i--)
            recent[weeks[i].Week.WeeksSince(first)] = computed[i].GetValueOrDefault(measure.Key);

        return new BoxScoreLine(measure, thisWeek, lastWeek, null, week.Previous(), ChangeOf(measure, thisWeek, lastWeek),
            RatingRules.Rate(measure, thisWeek), recent, Analyze(measure, series, options));
    }

    private static BoxScoreLine SampledLine(
        MeasureDefinition measure, List<WeekValues> weeks, List<int> seriesWeeks, List<SeriesPoint> series, BoxScoreOptions options)
    {
        var n = series.Count;
        double? latest = n > 0 ? series[n - 1].Value : null;
        double? previous = n > 1 ? series[n - 2].Value : null;
        IsoWeek? latestWeek = n > 0 ? weeks[seriesWeeks[n - 1]].Week : null;
        IsoWeek? previousWeek = n > 1 ? weeks[seriesWeeks[n - 2]].Week : null;
        var take = Math.Min(options.RecentWeeks, n);
        var recent = new double?[take];
        for (var i = 0; i < take; i++) recent[i] = series[n - take + i].Value;

        return new BoxScoreLine(measure, latest, previous, latestWeek, previousWeek, ChangeOf(measure, latest, previous),
            RatingRules.Rate(measure, latest), recent, Analyze(measure, series, options));
    }

    private static SignalResult? Analyze(MeasureDefinition measure, List<SeriesPoint> series, BoxScoreOptions options)
    {
        if (series.Count == 0) return null;
        var signalOptions = options.Signal with
        {
            Direction = measure.Direction switch
            {
                MeasureDirection.LowerIsBetter => ImprovementDirection.Decrease,
                MeasureDirection.HigherIsBetter => ImprovementDirection.Increase,
                _ => ImprovementDirection.Neither,
            },
            Target = measure.Target,
            PointNoun = measure.IsSampled ? "sample" : options.Signal.PointNoun,
        };
        return SignalAnalyzer.Analyze(series, signalOptions);
    }

    /// <summary>The change from <paramref name="previous"/> to <paramref name="current"/>, compared as the card shows them (rounded).</summary>
    public static BoxScoreChange ChangeOf(MeasureDefinition measure, double? current, double? previous)
    {
        ArgumentNullException.ThrowIfNull(measure);
        if (current is not { } now || previous is not { } before) return BoxScoreChange.None;
        var difference = MeasureFormat.RoundForDisplay(measure, MeasureFormat.RoundForDisplay(measure, now) - MeasureFormat.RoundForDisplay(measure, before));
        if (difference == 0) return new BoxScoreChange(0, ChangeArrow.Level, ChangeQuality.Same);
        var arrow = difference > 0 ? ChangeArrow.Up : ChangeArrow.Down;
        var quality = measure.Direction switch
        {
            MeasureDirection.LowerIsBetter => difference < 0 ? ChangeQuality.Better : ChangeQuality.Worse,
            MeasureDirection.HigherIsBetter => difference > 0 ? ChangeQuality.Better : ChangeQuality.Worse,
            _ => ChangeQuality.Neutral,
        };
        return new BoxScoreChange(difference, arrow, quality);
    }
}
