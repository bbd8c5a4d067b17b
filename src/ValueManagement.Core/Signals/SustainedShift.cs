namespace ValueManagement.Core.Signals;

/// <summary>The latest run of points on one side of the centre line, long enough for the shift rule, and where it lies.</summary>
/// <param name="Points">How many points the run has (points on a run chart's median skipped).</param>
/// <param name="Side">+1 above the centre line, −1 below.</param>
/// <param name="Centre">The centre line the points are on one side of: the current period's mean (XmR) or median (run chart).</param>
public sealed record SustainedShift(int Points, int Side, double Centre)
{
    /// <summary>
    /// The shift rule's run (XmR: 7 or more points on one side of the mean, a point on it breaks the run; run chart: 6
    /// or more on one side of the median, points on it skipped), read back from the latest point of the current period,
    /// counting only points labelled <paramref name="fromLabel"/> or later (ISO weeks sort as text): a step change that
    /// came after that week. Null when the run is shorter, or the latest point is before <paramref name="fromLabel"/>.
    /// </summary>
    public static SustainedShift? Since(SignalResult result, string fromLabel)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(fromLabel);
        if (result.CurrentPeriod is not { } period || result.Points.Count == 0) return null;
        var isXmr = result.RuleSet == SignalRuleSet.Xmr;
        var needed = isXmr ? XmrRules.ShiftPoints : RunChartRules.ShiftPoints;
        var centre = period.Centre;
        var epsilon = SignalAnalyzer.Tolerance(Math.Abs(centre));
        var side = 0;
        var count = 0;
        for (var i = result.Points.Count - 1; i >= period.Start; i--)
        {
            var point = result.Points[i];
            if (string.CompareOrdinal(point.Label, fromLabel) < 0) break;
            int pointSide = SignalAnalyzer.SideOf(point.Value, centre, epsilon);
            if (pointSide == 0)
            {
                if (isXmr) break;
                continue;
            }
            if (side == 0) side = pointSide;
            else if (pointSide != side) break;
            count++;
        }
        return count >= needed ? new SustainedShift(count, side, centre) : null;
    }
}
