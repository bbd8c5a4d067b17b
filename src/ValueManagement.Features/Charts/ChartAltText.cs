namespace ValueManagement.Features.Charts;

/// <summary>
/// The sentence a screen reader reads for a chart, e.g. "Falls per week, 26 weeks to 2026-W48:
/// latest 3, average 4.2, process limits 0 to 9.1, target 3; special cause improvement in the last
/// 7 weeks (below average)." It carries what the picture shows, so it never depends on colour.
/// </summary>
public static class ChartAltText
{
    public static string Describe(ChartModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.EnsureValid();
        var points = model.Points;
        var period = model.PeriodName;
        var last = points[^1];

        var head = points.Count == 1
            ? $"{model.Title}, 1 {period} ({last.Label})"
            : $"{model.Title}, {points.Count} {Plural(period)} to {last.Label}";

        var latestIndex = LastIndexWithValue(points);
        if (latestIndex < 0)
            return $"{head}: no figures recorded.";

        var facts = new List<string>();
        facts.Add(latestIndex == points.Count - 1
            ? $"latest {Number(model, last.Value!.Value)}"
            : $"latest {period} not recorded, last recorded {Number(model, points[latestIndex].Value!.Value)} in {points[latestIndex].Label}");

        var reference = points[latestIndex];
        if (reference.CentreLine is { } centre)
            facts.Add($"{model.CentreLineName} {Number(model, centre, extraDecimals: 1)}");
        var limitsName = model.TrialLimits ? "trial limits" : "process limits";
        switch (reference.LowerLimit, reference.UpperLimit)
        {
            case ({ } lower, { } upper):
                facts.Add($"{limitsName} {Number(model, lower, 1)} to {Number(model, upper, 1)}");
                break;
            case (null, { } upper):
                facts.Add($"upper {limitsName.Replace("limits", "limit", StringComparison.Ordinal)} {Number(model, upper, 1)}");
                break;
            case ({ } lower, null):
                facts.Add($"lower {limitsName.Replace("limits", "limit", StringComparison.Ordinal)} {Number(model, lower, 1)}");
                break;
        }
        if (RebasedAt(points) is { } rebase)
            facts.Add($"limits rebased at {rebase}");
        if (model.Target is { } target)
            facts.Add($"target {Number(model, target)}");
        var missing = points.Count(p => p.Value is null);
        if (missing > 0)
            facts.Add($"{missing} {(missing == 1 ? period : Plural(period))} not recorded");

        var text = $"{head}: {string.Join(", ", facts)}; {Signal(model, latestIndex)}";
        if (model.Annotations.Count > 0)
            text += "; " + string.Join(", ", model.Annotations.Select(a => $"{a.Text} at {a.At}"));
        return text + ".";
    }

    /// <summary>What the latest points say: the run of special cause that ends now, or that there is none.</summary>
    private static string Signal(ChartModel model, int latestIndex)
    {
        var points = model.Points;
        var period = model.PeriodName;
        var kind = points[latestIndex].SpecialCause;
        if (kind == SpecialCause.None)
        {
            var earlier = points.Where(p => p.Value is not null && p.SpecialCause != SpecialCause.None)
                .GroupBy(p => p.SpecialCause)
                .OrderBy(g => g.Key)
                .Select(g => $"{Word(g.Key)} in {g.Count()} {(g.Count() == 1 ? period : Plural(period))}")
                .ToList();
            return earlier.Count == 0
                ? "common cause variation only, no special cause"
                : $"the latest {period} is common cause variation; earlier, special cause {string.Join(" and ", earlier)}";
        }

        // The run of points of this kind that ends with the latest; unrecorded periods are skipped.
        var run = new List<ChartPoint>();
        for (var i = latestIndex; i >= 0; i--)
        {
            if (points[i].Value is null) continue;
            if (points[i].SpecialCause != kind) break;
            run.Add(points[i]);
        }
        run.Reverse();
        var where = run.Count == 1 ? $"in the latest {period}" : $"in the last {run.Count} {Plural(period)}";
        return $"special cause {Word(kind)} {where}{Side(model, run)}";
    }

    /// <summary>" (below average)", " (above average)", " (rising)", " (falling)" or nothing.</summary>
    private static string Side(ChartModel model, List<ChartPoint> run)
    {
        if (run.All(p => p.CentreLine is { } c && p.Value > c)) return $" (above {model.CentreLineName})";
        if (run.All(p => p.CentreLine is { } c && p.Value < c)) return $" (below {model.CentreLineName})";
        if (run.Count < 2) return "";
        var steps = run.Zip(run.Skip(1), (a, b) => b.Value!.Value - a.Value!.Value).ToList();
        if (steps.All(d => d > 0)) return " (rising)";
        if (steps.All(d => d < 0)) return " (falling)";
        return "";
    }

    /// <summary>The label of the point where the latest centre line or limits started, when they changed along the chart.</summary>
    private static string? RebasedAt(IReadOnlyList<ChartPoint> points)
    {
        string? at = null;
        for (var i = 1; i < points.Count; i++)
        {
            var (a, b) = (points[i - 1], points[i]);
            if (!HasLines(a) || !HasLines(b)) continue;
            if (a.CentreLine != b.CentreLine || a.LowerLimit != b.LowerLimit || a.UpperLimit != b.UpperLimit)
                at = b.Label;
        }
        return at;
    }

    private static bool HasLines(ChartPoint p) => p.CentreLine is not null || p.LowerLimit is not null || p.UpperLimit is not null;

    private static string Word(SpecialCause kind) => kind switch
    {
        SpecialCause.Improvement => "improvement",
        SpecialCause.Concern => "concern",
        SpecialCause.Neutral => "variation (neither improvement nor concern)",
        _ => "none",
    };

    /// <summary>£ and other currency signs go before the number, % after it; word units are left to the title.</summary>
    private static string Number(ChartModel model, double value, int extraDecimals = 0)
    {
        var text = model.Format(value, extraDecimals);
        return model.UnitLabel.Trim() switch
        {
            "£" or "$" or "€" => Money(model.UnitLabel.Trim(), value),
            "%" => text + "%",
            _ => text,
        };
    }

    /// <summary>Whole amounts as they are (£455), others in pounds and pence (£438.50, never £438.5 or £496.876).</summary>
    private static string Money(string symbol, double value)
    {
        var rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        var text = Math.Abs(rounded).ToString(rounded == Math.Floor(rounded) ? "#,0" : "#,0.00", System.Globalization.CultureInfo.InvariantCulture);
        return (rounded < 0 ? "-" : "") + symbol + text;
    }

    private static string Plural(string noun) => noun.EndsWith('s') ? noun : noun + "s";

    private static int LastIndexWithValue(IReadOnlyList<ChartPoint> points)
    {
        for (var i = points.Count - 1; i >= 0; i--)
            if (points[i].Value is not null) return i;
        return -1;
    }
}
