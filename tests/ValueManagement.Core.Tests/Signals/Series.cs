using ValueManagement.Core.Signals;

namespace ValueManagement.Core.Tests.Signals;

/// <summary>Builds test series: labels w01, w02, … in order.</summary>
internal static class Series
{
    public static IReadOnlyList<SeriesPoint> Of(params double[] values)
    {
        var points = new SeriesPoint[values.Length];
        for (var i = 0; i < values.Length; i++) points[i] = new SeriesPoint($"w{i + 1:00}", values[i]);
        return points;
    }

    public static SignalOptions Xmr(ImprovementDirection direction = ImprovementDirection.Increase) =>
        new() { RuleSet = SignalRuleSet.Xmr, Direction = direction };

    public static SignalOptions RunChart(ImprovementDirection direction = ImprovementDirection.Increase) =>
        new() { RuleSet = SignalRuleSet.RunChart, Direction = direction };

    /// <summary>The indices of the points a rule marked.</summary>
    public static int[] Marked(SignalResult result, SignalRule rule) =>
        result.Points.Where(p => p.Rule == rule).Select(p => p.Index).ToArray();

    /// <summary>The indices of every special-cause point.</summary>
    public static int[] Special(SignalResult result) =>
        result.Points.Where(p => p.SpecialCause != SpecialCause.None).Select(p => p.Index).ToArray();

    public static int[] Range(int first, int last) => Enumerable.Range(first, last - first + 1).ToArray();
}
