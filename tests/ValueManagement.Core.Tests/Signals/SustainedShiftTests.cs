using ValueManagement.Core.Signals;

namespace ValueManagement.Core.Tests.Signals;

/// <summary>The shift rule's run since a week, read back from the latest point: what the report-out's rebase offer rests on.</summary>
public sealed class SustainedShiftTests
{
    private static SignalResult Analyze(params double[] values) =>
        SignalAnalyzer.Analyze(values.Select((v, i) => new SeriesPoint($"2026-W{i + 10:00}", v)).ToList());

    [Fact]
    public void SevenPointsBelowTheMeanSinceTheWeek_IsASustainedShift()
    {
        var result = Analyze(6, 7, 5, 6, 8, 6, 5, 7, 6, 5, 2, 3, 2, 1, 2, 3, 2);

        var shift = SustainedShift.Since(result, "2026-W20");
        Assert.NotNull(shift);
        Assert.Equal((7, -1), (shift.Points, shift.Side));
    }

    [Fact]
    public void TheRunCountsOnlyPointsFromTheWeek_AndNeedsSeven()
    {
        var result = Analyze(6, 7, 5, 6, 8, 6, 5, 7, 6, 5, 2, 3, 2, 1, 2, 3, 2);

        Assert.Null(SustainedShift.Since(result, "2026-W21")); // 6 points from W21
    }

    [Fact]
    public void APointOnTheOtherSide_EndsTheRun()
    {
        var result = Analyze(6, 7, 5, 6, 8, 6, 5, 7, 6, 5, 2, 3, 2, 7, 2, 3, 2);

        Assert.Null(SustainedShift.Since(result, "2026-W20"));
    }
}
