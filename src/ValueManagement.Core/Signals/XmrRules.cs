namespace ValueManagement.Core.Signals;

/// <summary>
/// The XmR chart with the Making Data Count rules, as NHSRplotthedots 0.2.2 implements them, for one period.
/// Every pass is O(n) over the period.
/// </summary>
internal static class XmrRules
{
    public const double LimitFactor = 2.66;
    public const double NearLimitFactor = 2 * (LimitFactor / 3);
    public const double ScreeningFactor = 3.267;
    public const int TrendPoints = 7;
    public const int ShiftPoints = 7;

    /// <summary>
    /// Judges the points <paramref name="y"/> of one period. For each point it writes the rule that fired, the side the
    /// signal points to (+1 high, −1 low: the trend's direction for a trend, else the side of the mean) and the size of
    /// the pattern (points in the trend or shift, points near the limit among the three).
    /// </summary>
    public static SignalPeriod Analyze(
        ReadOnlySpan<double> y, int start, SignalOptions options, Span<SignalRule> rule, Span<sbyte> signal, Span<int> extent,
        Span<sbyte> scratch, Span<int> intScratch)
    {
        var n = y.Length;
        double sum = 0, maxAbs = 0;
        for (var i = 0; i < n; i++)
        {
            sum += y[i];
            maxAbs = Math.Max(maxAbs, Math.Abs(y[i]));
        }

        var mean = sum / n;
        double? meanMovingRange = MeanMovingRange(y, options.ScreenMovingRanges);
        double? lower = null, upper = null, nearLower = null, nearUpper = null;
        if (meanMovingRange is { } mr)
        {
            lower = mean - LimitFactor * mr;
            upper = mean + LimitFactor * mr;
            nearLower = mean - NearLimitFactor * mr;
            nearUpper = mean + NearLimitFactor * mr;
        }

        var epsilon = SignalAnalyzer.Tolerance(maxAbs);
        var side = scratch[..n];           // −1 below the mean, +1 above, 0 on it
        var outside = scratch.Slice(n, n); // −1 below the lower limit, +1 above the upper
        var band = scratch.Slice(2 * n, n); // −1/+1 near a limit but inside the limits
        var trend = scratch.Slice(3 * n, n); // direction of the 7-point trend a point is part of
        var twoOfThree = scratch.Slice(4 * n, n); // when marked by two out of three: the points near the limit (2 or 3)

        var hasLimits = meanMovingRange is not null;
        double u = upper ?? 0, l = lower ?? 0, nu = nearUpper ?? 0, nl = nearLower ?? 0;
        for (var i = 0; i < n; i++)
        {
            var v = y[i];
            side[i] = SignalAnalyzer.SideOf(v, mean, epsilon);
            outside[i] = 0;
            band[i] = 0;
            trend[i] = 0;
            twoOfThree[i] = 0;
            if (!hasLimits) continue;
            if (v > u + epsilon) outside[i] = 1;
            else if (v < l - epsilon) outside[i] = -1;
            else if (v > nu + epsilon) band[i] = 1;
            else if (v < nl - epsilon) band[i] = -1;
        }

        // Trend: maximal runs of strictly rising (or falling) steps; an equal value ends the run. A point where a run
        // turns belongs to both runs and takes the later one's direction.
        var trendRun = intScratch[..n]; // points in the trend a point is part of
        trendRun.Clear();
        var runStart = 0;
        sbyte runDirection = 0;
        for (var i = 1; i < n; i++)
        {
            var step = Math.Sign(y[i] - y[i - 1]);
            if (step != 0 && step == runDirection) continue;
            MarkTrend(trend, trendRun, runStart, i - 1, runDirection);
            runStart = step == 0 ? i : i - 1;
            runDirection = (sbyte)step;
        }
        if (n > 0) MarkTrend(trend, trendRun, runStart, n - 1, runDirection);

        // Two out of three: a window of 3 consecutive points all on one side of the mean, at least 2 of them near the
        // limit on that side; the points near the limit are marked.
        for (var w = 0; w + 2 < n; w++)
        {
            var s = side[w];
            if (s == 0 || side[w + 1] != s || side[w + 2] != s) continue;
            var near = (band[w] == s ? 1 : 0) + (band[w + 1] == s ? 1 : 0) + (band[w + 2] == s ? 1 : 0);
            if (near < 2) continue;
            for (var j = w; j < w + 3; j++)
                if (band[j] == s) twoOfThree[j] = (sbyte)near;
        }

        // Combine in order of precedence; the shift is found in the same pass, run by run.
        var shiftStart = 0;
        for (var i = 0; i <= n; i++)
        {
            if (i < n && i > shiftStart && side[i] == side[shiftStart] && side[i] != 0) continue;
            // The run of points on one side of the mean [shiftStart, i) has ended.
            var length = i - shiftStart;
            var isShift = shiftStart < n && side[shiftStart] != 0 && length >= ShiftPoints;
            for (var j = shiftStart; j < i; j++)
            {
                if (outside[j] != 0)
                    Set(rule, signal, extent, j, SignalRule.OutsideLimits, outside[j], 1);
                else if (trend[j] != 0)
                    Set(rule, signal, extent, j, SignalRule.Trend, trend[j], trendRun[j]);
                else if (twoOfThree[j] != 0)
                    Set(rule, signal, extent, j, SignalRule.TwoOfThree, side[j], twoOfThree[j]);
                else if (isShift)
                    Set(rule, signal, extent, j, SignalRule.Shift, side[j], length);
                else
                    Set(rule, signal, extent, j, SignalRule.None, 0, 0);
            }
            shiftStart = i;
        }

        return new SignalPeriod(
            start, n, mean, lower, upper, nearLower, nearUpper, meanMovingRange, n,
            IsTrial: n < options.TrialBelowPoints, Runs: null);
    }

    /// <summary>mR̄, the mean of |xᵢ − xᵢ₋₁|; with screening, the ranges of at least 3.267 · mR̄ are dropped and it is recomputed once.</summary>
    internal static double? MeanMovingRange(ReadOnlySpan<double> y, bool screen)
    {
        if (y.Length < 2) return null;
        double total = 0;
        for (var i = 1; i < y.Length; i++) total += Math.Abs(y[i] - y[i - 1]);
        var mean = total / (y.Length - 1);
        // A flat series has mR̄ = 0: every range would be "at least 3.267 · 0", so there is nothing to screen.
        if (!screen || mean <= 0) return mean;

        var cutoff = ScreeningFactor * mean;
        double kept = 0;
        var count = 0;
        for (var i = 1; i < y.Length; i++)
        {
            var range = Math.Abs(y[i] - y[i - 1]);
            if (range >= cutoff) continue;
            kept += range;
            count++;
        }
        return count == 0 ? mean : kept / count;
    }

    private static void MarkTrend(Span<sbyte> trend, Span<int> length, int first, int last, sbyte direction)
    {
        var points = last - first + 1;
        if (direction == 0 || points < TrendPoints) return;
        for (var j = first; j <= last; j++)
        {
            trend[j] = direction;
            length[j] = points;
        }
    }

    private static void Set(Span<SignalRule> rule, Span<sbyte> signal, Span<int> extent, int i, SignalRule r, sbyte s, int size)
    {
        rule[i] = r;
        signal[i] = s;
        extent[i] = size;
    }
}
