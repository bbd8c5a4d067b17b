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

    /// <summary>
    /// Per measure key, the weeks from which its limits were rebased (after an adopted change, confirmed by a coach):
    /// each starts a new period with its own centre line and limits.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IsoWeek>> RebasedFrom { get; init; } = new Dictionary<string, IReadOnlyList<IsoWeek>>();
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
        var entered = new IReadOnlyDictionary<string, double?>[weeks.Count];
        var labels = new string[weeks.Count];
        for (var i = 0; i < weeks.Count; i++)
        {
            entered[i] = weeks[i].Values;
            labels[i] = weeks[i].Week.ToString();
        }
        var columns = measures.ComputeColumns(entered);

        var thisIndex = IndexOf(weeks, week);
        var lastIndex = IndexOf(weeks, week.Previous());

        var lines = new List<BoxScoreLine>(measures.Measures.Count);
        var seriesWeeks = new List<int>(weeks.Count);
        var series = new List<SeriesPoint>(weeks.Count);
        for (var m = 0; m < measures.Measures.Count; m++)
        {
            var measure = measures.Measures[m];
            var column = columns[m];
            seriesWeeks.Clear();
            series.Clear();
            for (var i = 0; i < column.Length; i++)
            {
                if (column[i] is { } value)
                {
                    seriesWeeks.Add(i);
                    series.Add(new SeriesPoint(labels[i], value));
                }
            }
            lines.Add(measure.IsSampled
                ? SampledLine(measure, weeks, seriesWeeks, series, options)
                : WeeklyLine(measure, week, weeks, column, thisIndex, lastIndex, series, options));
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
        MeasureDefinition measure, IsoWeek week, List<WeekValues> weeks, double?[] column,
        int thisIndex, int lastIndex, List<SeriesPoint> series, BoxScoreOptions options)
    {
        var thisWeek = thisIndex >= 0 ? column[thisIndex] : null;
        var lastWeek = lastIndex >= 0 ? column[lastIndex] : null;

        var recent = new double?[options.RecentWeeks];
        var first = week.AddWeeks(-(options.RecentWeeks - 1));
        // Walk back from the end: only the last few stored weeks can fall in the window.
        for (var i = weeks.Count - 1; i >= 0 && weeks[i].Week >= first; i--)
            recent[weeks[i].Week.WeeksSince(first)] = column[i];

        return new BoxScoreLine(measure, thisWeek, lastWeek, null, week.Previous(), ChangeOf(measure, thisWeek, lastWeek),
            RatingRules.Rate(measure, thisWeek), recent, Analyze(measure, series, options));
    }

    /// <summary>The position of <paramref name="week"/> in the sorted <paramref name="weeks"/>, or −1.</summary>
    private static int IndexOf(List<WeekValues> weeks, IsoWeek week)
    {
        for (var i = weeks.Count - 1; i >= 0; i--)
        {
            if (weeks[i].Week == week) return i;
            if (weeks[i].Week < week) break;
        }
        return -1;
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
        if (options.RebasedFrom.TryGetValue(measure.Key, out var rebases) && rebases.Count > 0)
            signalOptions = signalOptions with { RebaseAt = RebaseIndices(series, rebases) };
        return SignalAnalyzer.Analyze(series, signalOptions);
    }

    /// <summary>
    /// Where each rebase week starts a period in the series: its first point in or after that week. A rebase
    /// before the first point or after the last changes nothing. Labels are ISO weeks, which sort as text.
    /// </summary>
    public static IReadOnlyList<int> RebaseIndices(IReadOnlyList<SeriesPoint> series, IReadOnlyList<IsoWeek> rebases)
    {
        var indices = new List<int>(rebases.Count);
        foreach (var week in rebases)
        {
            var label = week.ToString();
            for (var i = 1; i < series.Count; i++)
            {
                if (string.CompareOrdinal(series[i].Label, label) < 0) continue;
                if (!indices.Contains(i)) indices.Add(i);
                break;
            }
        }
        return indices;
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
