namespace ValueManagement.Core.Signals;

/// <summary>
/// Signal or noise: judges a measure's series with the rules pinned in the domain document (run chart, IHI; XmR,
/// Making Data Count as NHSRplotthedots 0.2.2 implements it) and says what a ward team should read from it.
/// Pure, allocation-light, O(n): safe to call for every measure of every box score.
/// </summary>
public static class SignalAnalyzer
{
    /// <summary>
    /// Analyses <paramref name="series"/> (in time order). Without a rule set in <paramref name="options"/>, a series
    /// of fewer than <see cref="SignalOptions.MinimumPointsForXmr"/> points gets a run chart, a longer one an XmR chart.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not a finite number, or a label is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rebase index is outside the series, or an option is out of range.</exception>
    public static SignalResult Analyze(IReadOnlyList<SeriesPoint> series, SignalOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        options ??= SignalOptions.Default;
        Validate(options);

        var n = series.Count;
        var values = new double[n];
        for (var i = 0; i < n; i++)
        {
            var point = series[i];
            if (point.Label is null) throw new ArgumentException($"Point {i} has no label.", nameof(series));
            if (!double.IsFinite(point.Value))
                throw new ArgumentException($"Point {i} ({point.Label}) is {point.Value}, not a finite number.", nameof(series));
            values[i] = point.Value;
        }

        var ruleSet = options.RuleSet ?? (n >= options.MinimumPointsForXmr ? SignalRuleSet.Xmr : SignalRuleSet.RunChart);
        if (n == 0)
            return new SignalResult(ruleSet, options.Direction, options.Target, [], [], VariationIcon.CommonCause, Assurance.None,
                IsTrial: true, Description: "no data yet");

        var starts = PeriodStarts(options.RebaseAt, n);
        var rules = new SignalRule[n];
        var signals = new sbyte[n];
        var extents = new int[n];
        var scratch = new sbyte[5 * n];
        var intScratch = new int[n];
        var periods = new SignalPeriod[starts.Length];
        var periodOf = new int[n];
        for (var p = 0; p < starts.Length; p++)
        {
            var start = starts[p];
            var end = p + 1 < starts.Length ? starts[p + 1] : n;
            var count = end - start;
            ReadOnlySpan<double> y = values.AsSpan(start, count);
            var rule = rules.AsSpan(start, count);
            var signal = signals.AsSpan(start, count);
            var extent = extents.AsSpan(start, count);
            periods[p] = ruleSet == SignalRuleSet.Xmr
                ? XmrRules.Analyze(y, start, options, rule, signal, extent, scratch, intScratch)
                : RunChartRules.Analyze(y, start, options, rule, signal, extent, scratch, intScratch);
            periodOf.AsSpan(start, count).Fill(p);
        }

        var points = new SignalPoint[n];
        for (var i = 0; i < n; i++)
        {
            var period = periods[periodOf[i]];
            points[i] = new SignalPoint(
                i, series[i].Label, values[i], period.Centre, period.Lower, period.Upper,
                Classify(rules[i], signals[i], options.Direction), rules[i], periodOf[i]);
        }

        var last = points[n - 1];
        var current = periods[^1];
        var variation = Icon(last.SpecialCause, signals[n - 1]);
        var assurance = AssuranceOf(current, options);
        var description = SignalDescriber.Describe(ruleSet, last, signals[n - 1], extents[n - 1], current, options.PointNoun);
        return new SignalResult(ruleSet, options.Direction, options.Target, points, periods, variation, assurance, current.IsTrial, description);
    }

    /// <summary>
    /// The special cause on the latest point of <paramref name="values"/>, exactly as <see cref="Analyze"/> would give it
    /// on <c>Points[^1]</c>, without the points, labels and words: for callers that show only the latest reading of many
    /// series (a roll-up). Only the last period is analysed: the rules never run across a rebase.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not a finite number.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A rebase index is outside the series, or an option is out of range.</exception>
    public static SpecialCause LatestSpecialCause(ReadOnlySpan<double> values, SignalOptions? options = null)
    {
        options ??= SignalOptions.Default;
        Validate(options);
        var n = values.Length;
        for (var i = 0; i < n; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"Point {i} is {values[i]}, not a finite number.", nameof(values));
        }
        if (n == 0) return SpecialCause.None;

        var ruleSet = options.RuleSet ?? (n >= options.MinimumPointsForXmr ? SignalRuleSet.Xmr : SignalRuleSet.RunChart);
        var start = PeriodStarts(options.RebaseAt, n)[^1];
        var count = n - start;

        const int StackLimit = 256;
        Span<SignalRule> rule = count <= StackLimit ? stackalloc SignalRule[count] : new SignalRule[count];
        Span<sbyte> signal = count <= StackLimit ? stackalloc sbyte[count] : new sbyte[count];
        Span<int> extent = count <= StackLimit ? stackalloc int[count] : new int[count];
        Span<sbyte> scratch = count <= StackLimit ? stackalloc sbyte[5 * count] : new sbyte[5 * count];
        Span<int> intScratch = count <= StackLimit ? stackalloc int[count] : new int[count];
        var y = values[start..];
        _ = ruleSet == SignalRuleSet.Xmr
            ? XmrRules.Analyze(y, start, options, rule, signal, extent, scratch, intScratch)
            : RunChartRules.Analyze(y, start, options, rule, signal, extent, scratch, intScratch);
        return Classify(rule[^1], signal[^1], options.Direction);
    }

    /// <summary>
    /// Improvement, concern or neutral: a trend takes the trend's direction, every other rule the point's side of the
    /// centre line (<paramref name="side"/> is already the right one). Runs have no direction: neutral.
    /// </summary>
    public static SpecialCause Classify(SignalRule rule, int side, ImprovementDirection direction)
    {
        if (rule == SignalRule.None) return SpecialCause.None;
        if (rule == SignalRule.Runs || direction == ImprovementDirection.Neither || side == 0) return SpecialCause.Neutral;
        var better = direction == ImprovementDirection.Increase ? 1 : -1;
        return Math.Sign(side) == better ? SpecialCause.Improvement : SpecialCause.Concern;
    }

    /// <summary>The variation icon for the last point: its special cause, and whether the signal is high or low.</summary>
    public static VariationIcon Icon(SpecialCause cause, int side) => cause switch
    {
        SpecialCause.Improvement => side > 0 ? VariationIcon.ImprovementHigh : VariationIcon.ImprovementLow,
        SpecialCause.Concern => side > 0 ? VariationIcon.ConcernHigh : VariationIcon.ConcernLow,
        SpecialCause.Neutral => side > 0 ? VariationIcon.NeitherHigh : VariationIcon.NeitherLow,
        _ => VariationIcon.CommonCause,
    };

    /// <summary>
    /// Assurance from the current period's process limits: the whole range lower..upper on the good side of the target
    /// (a limit equal to the target counts as passing, as a value equal to the target rates green) passes
    /// consistently, the whole range on the bad side fails consistently, anything else is inconsistent. No target, no
    /// direction or no limits (run chart, a one-point period): none.
    /// </summary>
    public static Assurance AssuranceOf(SignalPeriod period, SignalOptions options)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Target is not { } target || options.Direction == ImprovementDirection.Neither) return Assurance.None;
        if (period.Lower is not { } lower || period.Upper is not { } upper) return Assurance.None;
        return options.Direction == ImprovementDirection.Increase
            ? lower >= target ? Assurance.ConsistentlyPasses : upper < target ? Assurance.ConsistentlyFails : Assurance.Inconsistent
            : upper <= target ? Assurance.ConsistentlyPasses : lower > target ? Assurance.ConsistentlyFails : Assurance.Inconsistent;
    }

    /// <summary>
    /// How close to a computed line (mean, median, limit) a value must be to count as on it: a billionth of the largest
    /// magnitude in the period, so that rounding in a mean (438.5 averaging to 438.49999999999994) does not decide a side.
    /// </summary>
    internal static double Tolerance(double maxAbs) => 1e-9 * maxAbs;

    internal static sbyte SideOf(double value, double centre, double epsilon) =>
        value > centre + epsilon ? (sbyte)1 : value < centre - epsilon ? (sbyte)-1 : (sbyte)0;

    private static int[] PeriodStarts(IReadOnlyList<int> rebaseAt, int n)
    {
        if (rebaseAt.Count == 0) return [0];
        var starts = new List<int>(rebaseAt.Count + 1) { 0 };
        foreach (var index in rebaseAt)
        {
            if (index < 0 || index >= n)
                throw new ArgumentOutOfRangeException(nameof(rebaseAt), index, $"A rebase index must be a point of the series (0 to {n - 1}).");
            starts.Add(index);
        }
        starts.Sort();
        var distinct = new List<int>(starts.Count);
        foreach (var start in starts)
            if (distinct.Count == 0 || distinct[^1] != start) distinct.Add(start);
        return [.. distinct];
    }

    private static void Validate(SignalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.RebaseAt, nameof(options.RebaseAt));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RunChartBaselinePoints, 1, nameof(options.RunChartBaselinePoints));
        ArgumentOutOfRangeException.ThrowIfNegative(options.TrialBelowPoints, nameof(options.TrialBelowPoints));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MinimumPointsForXmr, nameof(options.MinimumPointsForXmr));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.PointNoun, nameof(options.PointNoun));
        if (options.Target is { } target && !double.IsFinite(target))
            throw new ArgumentOutOfRangeException(nameof(options.Target), target, "The target must be a finite number.");
        if (!Enum.IsDefined(options.Direction))
            throw new ArgumentOutOfRangeException(nameof(options.Direction), options.Direction, "Unknown improvement direction.");
        if (options.RuleSet is { } ruleSet && !Enum.IsDefined(ruleSet))
            throw new ArgumentOutOfRangeException(nameof(options.RuleSet), ruleSet, "Unknown rule set.");
    }
}
