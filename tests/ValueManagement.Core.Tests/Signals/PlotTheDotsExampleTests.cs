using ValueManagement.Core.Signals;
using static ValueManagement.Core.Tests.Signals.Series;

namespace ValueManagement.Core.Tests.Signals;

/// <summary>
/// The worked example of NHSRplotthedots' own tests (nhs-r-community/NHSRplotthedots, tests/testthat/
/// test-ptd_spc_standard.R and test-ptd_spc.R, expected values from their snapshots _snaps/ptd_spc_standard.md and
/// _snaps/ptd_spc.md): set.seed(123); y = rnorm(20), dated 2020-01-02 onwards. Only the data and the expected numbers
/// are taken from there.
/// </summary>
public class PlotTheDotsExampleTests
{
    /// <summary>R's set.seed(123); rnorm(20), as printed (8 decimals) in the snapshot.</summary>
    private static readonly double[] Rnorm20 =
    [
        -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123,
        -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314,
        0.49785048, -1.96661716, 0.70135590, -0.47279141,
    ];

    private static IReadOnlyList<SeriesPoint> Example(Func<int, double, double>? change = null)
    {
        var points = new SeriesPoint[Rnorm20.Length];
        var day = new DateOnly(2020, 1, 2);
        for (var i = 0; i < points.Length; i++)
            points[i] = new SeriesPoint(day.AddDays(i).ToString("yyyy-MM-dd"), change?.Invoke(i, Rnorm20[i]) ?? Rnorm20[i]);
        return points;
    }

    [Fact]
    public void Mean_and_limits_match_the_snapshot()
    {
        // Snapshot r1: mean_col 0.1416238, lpl -3.01138, upl 3.294627; summary: 20 points, all common cause.
        var result = SignalAnalyzer.Analyze(Example(), new SignalOptions { Direction = ImprovementDirection.Increase });
        Assert.Equal(SignalRuleSet.Xmr, result.RuleSet);
        var period = Assert.Single(result.Periods);
        Assert.Equal(0.1416238, period.Centre, 7);
        Assert.Equal(-3.01138, period.Lower!.Value, 5);
        Assert.Equal(3.294627, period.Upper!.Value, 6);
        Assert.Empty(Special(result));
        Assert.Equal(VariationIcon.CommonCause, result.Variation);
        Assert.False(result.IsTrial);
        Assert.Equal("common cause variation: no signal", result.Description);
    }

    [Fact]
    public void Screening_on_and_off_match_the_snapshot()
    {
        // Snapshots r2 and r3: y[15] (R's 1-based index) set to 10. Screened: mean 0.6694159, lpl -2.383666,
        // upl 3.722497. Not screened: lpl -4.596625, upl 5.935457, a wider range.
        var series = Example((i, y) => i == 14 ? 10 : y);
        var screened = SignalAnalyzer.Analyze(series, new SignalOptions()).Periods[0];
        var unscreened = SignalAnalyzer.Analyze(series, new SignalOptions { ScreenMovingRanges = false }).Periods[0];

        Assert.Equal(0.6694159, screened.Centre, 7);
        Assert.Equal(-2.383666, screened.Lower!.Value, 6);
        Assert.Equal(3.722497, screened.Upper!.Value, 6);
        Assert.Equal(0.6694159, unscreened.Centre, 7);
        Assert.Equal(-4.596625, unscreened.Lower!.Value, 6);
        Assert.Equal(5.935457, unscreened.Upper!.Value, 6);
    }

    [Fact]
    public void Rebasing_after_ten_points_matches_the_two_group_snapshot()
    {
        // Snapshot of summary(ptd_spc(d, facet_field = "facet")) with facet = rep(c(0, 1), each = 10): separate limits
        // for the first and last ten points (a rebase at the 11th gives the same groups): mean 0.0746, limits -2.60 to
        // 2.75, and mean 0.209, limits -3.28 to 3.70; 10 common-cause points each. Ten points: trial limits.
        var result = SignalAnalyzer.Analyze(Example(), new SignalOptions { RuleSet = SignalRuleSet.Xmr, RebaseAt = [10] });
        Assert.Equal(2, result.Periods.Count);
        var (first, second) = (result.Periods[0], result.Periods[1]);
        Assert.Equal((0, 10, 10, 10), (first.Start, first.Count, second.Start, second.Count));
        Assert.Equal(0.0746, Math.Round(first.Centre, 4));
        Assert.Equal((-2.60, 2.75), (Math.Round(first.Lower!.Value, 2), Math.Round(first.Upper!.Value, 2)));
        Assert.Equal(0.209, Math.Round(second.Centre, 3));
        Assert.Equal((-3.28, 3.70), (Math.Round(second.Lower!.Value, 2), Math.Round(second.Upper!.Value, 2)));
        Assert.Empty(Special(result));
        Assert.True(first.IsTrial);
        Assert.True(result.IsTrial);
    }

    [Fact]
    public void With_target_half_the_target_lies_within_the_limits()
    {
        // The snapshot's run with target 0.5 (improvement increase): the limits -3.01 … 3.29 contain 0.5.
        var result = SignalAnalyzer.Analyze(Example(), new SignalOptions { Direction = ImprovementDirection.Increase, Target = 0.5 });
        Assert.Equal(Assurance.Inconsistent, result.Assurance);
    }
}
