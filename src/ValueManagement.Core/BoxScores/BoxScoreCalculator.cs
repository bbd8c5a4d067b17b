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
        options = Checked(measures, history, options);
        var table = new WeekTable(measures, week, history);
        var lines = new List<BoxScoreLine>(measures.Measures.Count);
        var buffers = new SeriesBuffers(table.Weeks.Count);
        for (var m = 0; m < measures.Measures.Count; m++) lines.Add(Line(table, m, options, buffers));

        var headlineKey = HeadlineKey(measures, options);
        var headline = headlineKey is null ? null : lines.FirstOrDefault(x => x.Key == headlineKey);
        var lastSampled = lines.Where(x => x.Measure.IsSampled).ToDictionary(x => x.Key, x => LastSampledBefore(week, x.SampleWeek, x.LastWeekWeek));
        return new BoxScore(measures, week, lines, headline, Completeness(table, lastSampled), table.HasFigures);
    }

    /// <summary>
    /// What a roll-up row shows of a box score, worked out without the full lines: each measure's rating and the special
    /// cause on its latest point, full lines only for the headline and for the measures <paramref name="needsLine"/>
    /// picks from their rating and special cause. Every figure is the one <see cref="Compute"/> gives.
    /// </summary>
    public static BoxScoreSummary Summarize(
        MeasureSet measures, IsoWeek week, IEnumerable<WeekValues> history, Func<Rating, SpecialCause, bool> needsLine, BoxScoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(needsLine);
        options = Checked(measures, history, options);
        var table = new WeekTable(measures, week, history);
        var count = measures.Measures.Count;
        var ratings = new Rating[count];
        var causes = new SpecialCause[count];
        var lastSampled = new Dictionary<string, IsoWeek?>(StringComparer.Ordinal);
        var values = new double[table.Weeks.Count];
        var valueWeeks = new int[table.Weeks.Count];
        for (var m = 0; m < count; m++)
        {
            var measure = measures.Measures[m];
            var column = table.Columns[m];
            var n = 0;
            var latestIndex = -1;
            var previousIndex = -1;
            for (var i = 0; i < column.Length; i++)
            {
                if (column[i] is not { } value) continue;
                valueWeeks[n] = i;
                values[n++] = value;
                previousIndex = latestIndex;
                latestIndex = i;
            }

            double? shown;
            if (measure.IsSampled)
            {
                shown = latestIndex >= 0 ? column[latestIndex] : null;
                lastSampled[measure.Key] = LastSampledBefore(week,
                    latestIndex >= 0 ? table.Weeks[latestIndex].Week : null,
                    previousIndex >= 0 ? table.Weeks[previousIndex].Week : null);
            }
            else
            {
                shown = table.ThisIndex >= 0 ? column[table.ThisIndex] : null;
            }
            ratings[m] = RatingRules.Rate(measure, shown);
            var signalOptions = SignalOptionsFor(measure, options);
            if (n > 0 && options.RebasedFrom.TryGetValue(measure.Key, out var rebases) && rebases.Count > 0)
                signalOptions = signalOptions with { RebaseAt = RebaseIndices(n, (v, week) => table.Weeks[valueWeeks[v]].Week < week, rebases) };
            var latestCause = n == 0 ? SpecialCause.None : SignalAnalyzer.LatestSpecialCause(values.AsSpan(0, n), signalOptions);
            // A week without a value has no signal of its own: the latest point is an earlier week's.
            causes[m] = shown is null ? SpecialCause.None : latestCause;
        }

        var buffers = new SeriesBuffers(table.Weeks.Count);
        var headlineKey = HeadlineKey(measures, options);
        BoxScoreLine? headline = null;
        var lines = new List<BoxScoreLine>();
        for (var m = 0; m < count; m++)
        {
            var isHeadline = headline is null && measures.Measures[m].Key == headlineKey;
            if (!isHeadline && !needsLine(ratings[m], causes[m])) continue;
            var line = Line(table, m, options, buffers);
            if (isHeadline) headline = line;
            if (needsLine(ratings[m], causes[m])) lines.Add(line);
        }

        return new BoxScoreSummary(measures, week, ratings, causes, headline, lines, Completeness(table, lastSampled), table.HasFigures);
    }

    private static BoxScoreOptions Checked(MeasureSet measures, IEnumerable<WeekValues> history, BoxScoreOptions? options)
    {
        ArgumentNullException.ThrowIfNull(measures);
        ArgumentNullException.ThrowIfNull(history);
        options ??= BoxScoreOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RecentWeeks, 1, nameof(options.RecentWeeks));
        return options;
    }

    private static string? HeadlineKey(MeasureSet measures, BoxScoreOptions options) =>
        options.HeadlineKey ?? (measures.Find(DefaultHeadlineKey) is not null ? DefaultHeadlineKey : null);

    /// <summary>For a sampled measure: the last week it was sampled in before the box score's week (which decides whether it is due).</summary>
    private static IsoWeek? LastSampledBefore(IsoWeek week, IsoWeek? latestSample, IsoWeek? previousSample) =>
        latestSample is { } w && w < week ? w : previousSample;

    private static WeekCompleteness Completeness(WeekTable table, IReadOnlyDictionary<string, IsoWeek?> lastSampled) =>
        WeekCompleteness.Assess(table.Measures, table.ThisWeekValues,
            m => !m.IsSampled || m.IsDueIn(table.Week, lastSampled.GetValueOrDefault(m.Key)));

    /// <summary>Measure <paramref name="m"/>'s full line: figures, change, rating, recent weeks and signal.</summary>
    private static BoxScoreLine Line(WeekTable table, int m, BoxScoreOptions options, SeriesBuffers buffers)
    {
        var measure = table.Measures.Measures[m];
        var column = table.Columns[m];
        var seriesWeeks = buffers.Weeks;
        var series = buffers.Points;
        seriesWeeks.Clear();
        series.Clear();
        for (var i = 0; i < column.Length; i++)
        {
            if (column[i] is { } value)
            {
                seriesWeeks.Add(i);
                series.Add(new SeriesPoint(table.Label(i), value));
            }
        }
        return measure.IsSampled
            ? SampledLine(measure, table.Weeks, seriesWeeks, series, options)
            : WeeklyLine(measure, table.Week, table.Weeks, column, table.ThisIndex, table.LastIndex, series, options);
    }

    /// <summary>The lists a line's series is gathered in, reused from one measure to the next.</summary>
    private sealed class SeriesBuffers(int capacity)
    {
        public List<int> Weeks { get; } = new(capacity);
        public List<SeriesPoint> Points { get; } = new(capacity);
    }

    /// <summary>
    /// A team's stored weeks up to the box score's week, in order, with every measure's value in each (derived measures
    /// computed once per week with <see cref="MeasureSet.ComputeColumns"/>): what every line is read from.
    /// </summary>
    private sealed class WeekTable
    {
        private readonly string?[] labels;

        public WeekTable(MeasureSet measures, IsoWeek week, IEnumerable<WeekValues> history)
        {
            Measures = measures;
            Week = week;
            Weeks = history.Where(h => h.Week <= week).OrderBy(h => h.Week).ToList();
            var entered = new IReadOnlyDictionary<string, double?>[Weeks.Count];
            for (var i = 0; i < Weeks.Count; i++) entered[i] = Weeks[i].Values;
            Columns = measures.ComputeColumns(entered);
            labels = new string?[Weeks.Count];
            ThisIndex = IndexOf(Weeks, week);
            LastIndex = IndexOf(Weeks, week.Previous());
            ThisWeekValues = ThisIndex >= 0 ? Weeks[ThisIndex].Values : new Dictionary<string, double?>();
        }

        public MeasureSet Measures { get; }
        public IsoWeek Week { get; }
        public List<WeekValues> Weeks { get; }

        /// <summary>[m][i]: measure m in <see cref="Weeks"/>[i].</summary>
        public double?[][] Columns { get; }

        public int ThisIndex { get; }
        public int LastIndex { get; }
        public IReadOnlyDictionary<string, double?> ThisWeekValues { get; }
        public bool HasFigures => ThisWeekValues.Values.Any(v => v is not null);

        /// <summary>The label of week <paramref name="i"/> on a signal's points, made once per week and only when a line needs it.</summary>
        public string Label(int i) => labels[i] ??= Weeks[i].Week.ToString();
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
        var signalOptions = SignalOptionsFor(measure, options);
        if (options.RebasedFrom.TryGetValue(measure.Key, out var rebases) && rebases.Count > 0)
            signalOptions = signalOptions with { RebaseAt = RebaseIndices(series, rebases) };
        return SignalAnalyzer.Analyze(series, signalOptions);
    }

    /// <summary>The signal rules for one measure: the box score's, with the measure's direction and target.</summary>
    private static SignalOptions SignalOptionsFor(MeasureDefinition measure, BoxScoreOptions options) =>
        options.Signal with
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

    /// <summary>
    /// Where each rebase week starts a period in the series: its first point in or after that week. A rebase
    /// before the first point or after the last changes nothing. Labels are ISO weeks, which sort as text.
    /// </summary>
    public static IReadOnlyList<int> RebaseIndices(IReadOnlyList<SeriesPoint> series, IReadOnlyList<IsoWeek> rebases) =>
        RebaseIndices(series.Count, (i, week) => string.CompareOrdinal(series[i].Label, week.ToString()) < 0, rebases);

    /// <summary>
    /// <see cref="RebaseIndices(IReadOnlyList{SeriesPoint}, IReadOnlyList{IsoWeek})"/> for <paramref name="count"/> points,
    /// <paramref name="isBefore"/> telling whether point i falls before a week.
    /// </summary>
    private static IReadOnlyList<int> RebaseIndices(int count, Func<int, IsoWeek, bool> isBefore, IReadOnlyList<IsoWeek> rebases)
    {
        var indices = new List<int>(rebases.Count);
        foreach (var week in rebases)
        {
            for (var i = 1; i < count; i++)
            {
                if (isBefore(i, week)) continue;
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
