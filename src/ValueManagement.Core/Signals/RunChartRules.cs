namespace ValueManagement.Core.Signals;

/// <summary>
/// The run chart with the IHI rules (Perla, Provost &amp; Murray, BMJ Qual Saf 2011;20:46) for one period, as pinned
/// in the domain document. Order of precedence for a point: shift, trend, runs. Every pass is O(n) over the period,
/// except the median of the baseline (a sort of at most <see cref="SignalOptions.RunChartBaselinePoints"/> values).
/// </summary>
internal static class RunChartRules
{
    public const int ShiftPoints = 6;
    public const int TrendPoints = 5;
    public const int MinimumPointsForRunsTest = 10;

    public static SignalPeriod Analyze(
        ReadOnlySpan<double> y, int start, SignalOptions options, Span<SignalRule> rule, Span<sbyte> signal, Span<int> extent,
        Span<sbyte> scratch, Span<int> intScratch)
    {
        var n = y.Length;
        var baseline = Math.Min(options.RunChartBaselinePoints, n);
        var median = Median(y[..baseline]);
        double maxAbs = 0;
        for (var i = 0; i < n; i++) maxAbs = Math.Max(maxAbs, Math.Abs(y[i]));
        var epsilon = SignalAnalyzer.Tolerance(maxAbs);

        var side = scratch[..n];
        var trend = scratch.Slice(n, n);
        var trendSpan = intScratch[..n];
        trend.Clear();
        trendSpan.Clear();
        var useful = 0;
        var runs = 0;
        sbyte previousSide = 0;
        for (var i = 0; i < n; i++)
        {
            rule[i] = SignalRule.None;
            signal[i] = 0;
            extent[i] = 0;
            var s = side[i] = SignalAnalyzer.SideOf(y[i], median, epsilon);
            if (s == 0) continue; // on the median: neither counts nor breaks
            useful++;
            if (s != previousSide) runs++;
            previousSide = s;
        }

        // Shift: 6 or more points on one side, points on the median skipped. Marks the points that count.
        var shiftFirst = -1;
        var shiftLast = -1;
        var shiftCount = 0;
        sbyte shiftSide = 0;
        for (var i = 0; i <= n; i++)
        {
            var s = i < n ? side[i] : (sbyte)0;
            if (i < n && s == 0) continue;
            if (i < n && s == shiftSide)
            {
                shiftCount++;
                shiftLast = i;
                continue;
            }
            if (shiftSide != 0 && shiftCount >= ShiftPoints)
                for (var j = shiftFirst; j <= shiftLast; j++)
                    if (side[j] == shiftSide) Set(rule, signal, extent, j, SignalRule.Shift, shiftSide, shiftCount);
            shiftSide = s;
            shiftFirst = shiftLast = i;
            shiftCount = 1;
        }

        // Trend: 5 or more points going one way; equal neighbours count once and do not break it. A run that turns
        // starts again at the first point of the plateau it turns on.
        var runStart = 0;
        var plateauStart = 0;
        var steps = 0;
        sbyte direction = 0;
        for (var i = 1; i < n; i++)
        {
            var step = (sbyte)Math.Sign(y[i] - y[i - 1]);
            if (step == 0) continue;
            if (direction == 0 || step == direction)
            {
                direction = step;
                steps++;
            }
            else
            {
                MarkTrend(trend, trendSpan, runStart, i - 1, direction, steps + 1);
                runStart = plateauStart;
                direction = step;
                steps = 1;
            }
            plateauStart = i;
        }
        if (n > 0) MarkTrend(trend, trendSpan, runStart, n - 1, direction, steps + 1);

        for (var i = 0; i < n; i++)
            if (rule[i] == SignalRule.None && trend[i] != 0)
                Set(rule, signal, extent, i, SignalRule.Trend, trend[i], trendSpan[i]);

        // Runs: too few or too many for the useful points, from 10 of them.
        RunsTest test = new(useful, runs, useful >= MinimumPointsForRunsTest ? RunsDistribution.CriticalValuesForPoints(useful) : null);
        if (test.IsSignal)
            for (var i = 0; i < n; i++)
                if (rule[i] == SignalRule.None && side[i] != 0)
                    Set(rule, signal, extent, i, SignalRule.Runs, side[i], runs);

        return new SignalPeriod(
            start, n, median, Lower: null, Upper: null, NearLower: null, NearUpper: null, MeanMovingRange: null, baseline,
            IsTrial: baseline < options.TrialBelowPoints, test);
    }

    internal static double Median(ReadOnlySpan<double> values)
    {
        if (values.Length == 0) return double.NaN;
        Span<double> sorted = values.Length <= 64 ? stackalloc double[values.Length] : new double[values.Length];
        values.CopyTo(sorted);
        sorted.Sort();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void MarkTrend(Span<sbyte> trend, Span<int> span, int first, int last, sbyte direction, int distinctPoints)
    {
        if (direction == 0 || distinctPoints < TrendPoints) return;
        for (var j = first; j <= last; j++)
        {
            trend[j] = direction;
            span[j] = last - first + 1;
        }
    }

    private static void Set(Span<SignalRule> rule, Span<sbyte> signal, Span<int> extent, int i, SignalRule r, sbyte s, int size)
    {
        rule[i] = r;
        signal[i] = s;
        extent[i] = size;
    }
}
