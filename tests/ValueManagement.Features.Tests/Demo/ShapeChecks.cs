namespace ValueManagement.Features.Tests.Demo;

public enum XmrRule { OutsideLimits, Trend, TwoOfThree, Shift }

public enum Side { Up, Down }

/// <summary>A point that an XmR rule marks, with the side of the mean (or the direction of a trend) that makes it improvement or concern.</summary>
public sealed record XmrMark(int Index, XmrRule Rule, Side Side);

public enum RunRule { Shift, Trend, TooFewRuns, TooManyRuns }

/// <summary>
/// Small, independent checks of the rule text in domain.md ("Signal or noise"), so the demo data can
/// be shown to hold each shape before the signal engine exists; the integrator runs the real
/// engine on the same series.
/// </summary>
public static class ShapeChecks
{
    /// <summary>
    /// XmR (Making Data Count): mean, mean moving range with moving ranges ≥ 3.267 × mR̄ screened out
    /// once, limits mean ± 2.66 mR̄, near-limit band beyond mean ± (2/3)·2.66 mR̄; rules in order of
    /// precedence, a point taking the first that applies.
    /// </summary>
    public static IReadOnlyList<XmrMark> Xmr(IReadOnlyList<double> x)
    {
        var mean = x.Average();
        var ranges = x.Zip(x.Skip(1), (a, b) => Math.Abs(b - a)).ToList();
        var average = ranges.Average();
        var mr = ranges.Where(r => r < 3.267 * average).Average();
        var (upper, lower) = (mean + 2.66 * mr, mean - 2.66 * mr);
        var (nearUpper, nearLower) = (mean + 2.0 / 3 * 2.66 * mr, mean - 2.0 / 3 * 2.66 * mr);
        var marks = new XmrMark?[x.Count];

        for (var i = 0; i < x.Count; i++)
        {
            if (x[i] > upper) marks[i] = new(i, XmrRule.OutsideLimits, Side.Up);
            else if (x[i] < lower) marks[i] = new(i, XmrRule.OutsideLimits, Side.Down);
        }

        foreach (var (start, end, side) in MonotoneRuns(x).Where(r => r.End - r.Start + 1 >= 7))
            for (var i = start; i <= end; i++) marks[i] ??= new(i, XmrRule.Trend, side);

        for (var i = 0; i + 2 < x.Count; i++)
        {
            var window = new[] { i, i + 1, i + 2 };
            var inUpperBand = window.Where(j => x[j] > nearUpper && x[j] <= upper).ToList();
            if (inUpperBand.Count >= 2 && window.All(j => x[j] > mean))
                foreach (var j in inUpperBand) marks[j] ??= new(j, XmrRule.TwoOfThree, Side.Up);
            var inLowerBand = window.Where(j => x[j] < nearLower && x[j] >= lower).ToList();
            if (inLowerBand.Count >= 2 && window.All(j => x[j] < mean))
                foreach (var j in inLowerBand) marks[j] ??= new(j, XmrRule.TwoOfThree, Side.Down);
        }

        var from = 0;
        while (from < x.Count)
        {
            if (x[from] == mean)
            {
                from++;
                continue;
            }
            var above = x[from] > mean;
            var to = from;
            while (to + 1 < x.Count && x[to + 1] != mean && (x[to + 1] > mean) == above) to++;
            if (to - from + 1 >= 7)
                for (var j = from; j <= to; j++) marks[j] ??= new(j, XmrRule.Shift, above ? Side.Up : Side.Down);
            from = to + 1;
        }
        return marks.OfType<XmrMark>().ToList();
    }

    /// <summary>
    /// Run chart (IHI): median of the first 12 points (all when fewer); points on the median skipped;
    /// shift = 6+ on one side; trend = 5+ going one way, repeated values counted once; too few or too
    /// many runs outside the central 95% of the exact Swed–Eisenhart distribution, from 10 useful points.
    /// </summary>
    public static IReadOnlyList<RunRule> RunChart(IReadOnlyList<double> x)
    {
        var rules = new List<RunRule>();
        var baseline = x.Take(12).Order().ToList();
        var median = baseline.Count % 2 == 1 ? baseline[baseline.Count / 2] : (baseline[baseline.Count / 2 - 1] + baseline[baseline.Count / 2]) / 2;
        var sides = x.Where(v => v != median).Select(v => v > median).ToList();

        var longest = 0;
        for (var i = 0; i < sides.Count; i++)
        {
            var length = 1;
            while (i + length < sides.Count && sides[i + length] == sides[i]) length++;
            longest = Math.Max(longest, length);
        }
        if (longest >= 6) rules.Add(RunRule.Shift);

        var distinct = x.Where((v, i) => i == 0 || v != x[i - 1]).ToList();
        if (MonotoneRuns(distinct).Any(r => r.End - r.Start + 1 >= 5)) rules.Add(RunRule.Trend);

        var n = sides.Count;
        if (n >= 10)
        {
            var runs = 1 + sides.Zip(sides.Skip(1), (a, b) => a != b).Count(changed => changed);
            var (tooFew, tooMany) = RunsLimits(n / 2, n - n / 2);
            if (runs <= tooFew) rules.Add(RunRule.TooFewRuns);
            if (runs >= tooMany) rules.Add(RunRule.TooManyRuns);
        }
        return rules;
    }

    /// <summary>The largest count of runs with P(R ≤ r) ≤ 2.5%, and the smallest with P(R ≥ r) ≤ 2.5%.</summary>
    public static (int TooFew, int TooMany) RunsLimits(int n1, int n2)
    {
        double Choose(int n, int k) => k < 0 || k > n ? 0 : Enumerable.Range(1, k).Aggregate(1.0, (acc, i) => acc * (n - k + i) / i);
        var total = Choose(n1 + n2, n1);
        double P(int r) => r % 2 == 0
            ? 2 * Choose(n1 - 1, r / 2 - 1) * Choose(n2 - 1, r / 2 - 1) / total
            : (Choose(n1 - 1, (r - 1) / 2) * Choose(n2 - 1, (r - 3) / 2) + Choose(n1 - 1, (r - 3) / 2) * Choose(n2 - 1, (r - 1) / 2)) / total;
        var max = n1 + n2;
        int tooFew = 1, tooMany = max + 1;
        double cumulative = 0;
        for (var r = 2; r <= max; r++)
        {
            cumulative += P(r);
            if (cumulative <= 0.025) tooFew = r;
        }
        cumulative = 0;
        for (var r = max; r >= 2; r--)
        {
            cumulative += P(r);
            if (cumulative <= 0.025) tooMany = r;
        }
        return (tooFew, tooMany);
    }

    /// <summary>Maximal runs of strictly rising (or falling) consecutive points; an equal value ends a run.</summary>
    private static IEnumerable<(int Start, int End, Side Side)> MonotoneRuns(IReadOnlyList<double> x)
    {
        var i = 0;
        while (i < x.Count - 1)
        {
            Side? side = x[i + 1] > x[i] ? Side.Up : x[i + 1] < x[i] ? Side.Down : null;
            if (side is null)
            {
                i++;
                continue;
            }
            var end = i + 1;
            while (end + 1 < x.Count && (side == Side.Up ? x[end + 1] > x[end] : x[end + 1] < x[end])) end++;
            yield return (i, end, side.Value);
            i = end; // the top of a rise can start a fall
        }
    }
}
