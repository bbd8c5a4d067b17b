using ValueManagement.Core.Signals;
using static ValueManagement.Core.Tests.Signals.Series;

namespace ValueManagement.Core.Tests.Signals;

/// <summary>The IHI run chart rules (Perla, Provost &amp; Murray 2011) as pinned in the domain document.</summary>
public class RunChartRulesTests
{
    /// <summary>
    /// A series of alternating runs below (values 1, 2, 1, …) and above (8, 9, 8, …) the median, with the median taken
    /// from every point (equal numbers below and above put it at 5). No run is long enough for a shift and no stretch
    /// rises or falls through 5 distinct values, so only the runs rule can fire.
    /// </summary>
    private static (IReadOnlyList<SeriesPoint> Series, SignalOptions Options) FromRuns(params int[] lengths)
    {
        var values = new List<double>();
        for (var r = 0; r < lengths.Length; r++)
            for (var k = 0; k < lengths[r]; k++)
                values.Add(r % 2 == 0 ? 1 + k % 2 : 8 + k % 2);
        return (Of([.. values]), RunChart() with { RunChartBaselinePoints = values.Count });
    }

    [Fact]
    public void The_centre_line_is_the_median_of_the_first_12_points()
    {
        var result = SignalAnalyzer.Analyze(Of(5, 1, 9, 3, 7, 2, 8, 4, 6, 10, 11, 12, 100, 100, 100), RunChart());
        var period = Assert.Single(result.Periods);
        Assert.Equal(6.5, period.Centre);
        Assert.Equal(12, period.BaselineCount);
        Assert.False(period.IsTrial);
        Assert.All(result.Points, p => Assert.Equal(6.5, p.Centre));
        Assert.All(result.Points, p => Assert.Null(p.Lower));
        Assert.All(result.Points, p => Assert.Null(p.Upper));
    }

    [Fact]
    public void With_fewer_than_12_points_the_median_is_of_all_of_them_and_it_is_trial()
    {
        var result = SignalAnalyzer.Analyze(Of(4, 8, 6, 2), RunChart());
        Assert.Equal(5, result.Periods[0].Centre);
        Assert.Equal(4, result.Periods[0].BaselineCount);
        Assert.True(result.IsTrial);
    }

    [Fact]
    public void The_baseline_length_is_an_option()
    {
        var result = SignalAnalyzer.Analyze(Of(1, 2, 3, 4, 50, 60, 70), RunChart() with { RunChartBaselinePoints = 4 });
        Assert.Equal(2.5, result.Periods[0].Centre);
    }

    [Fact]
    public void Six_points_below_the_median_are_a_shift()
    {
        // Above, below, 4 above, 6 below, 2 above: 7 and 7, median 5.
        var result = SignalAnalyzer.Analyze(Of(9, 1, 8, 9, 8, 9, 1, 2, 1, 2, 1, 2, 8, 9), RunChart() with { RunChartBaselinePoints = 14 });
        Assert.Equal(5, result.Periods[0].Centre);
        Assert.Equal(Range(6, 11), Special(result));
        Assert.All(Range(6, 11), i => Assert.Equal((SignalRule.Shift, SpecialCause.Concern), (result.Points[i].Rule, result.Points[i].SpecialCause)));
    }

    [Fact]
    public void Five_points_below_the_median_are_not_a_shift()
    {
        var result = SignalAnalyzer.Analyze(Of(9, 1, 2, 8, 9, 8, 9, 1, 2, 1, 2, 1, 8, 9), RunChart() with { RunChartBaselinePoints = 14 });
        Assert.Equal(5, result.Periods[0].Centre);
        Assert.Empty(Special(result));
    }

    [Fact]
    public void A_point_on_the_median_neither_counts_nor_breaks_a_shift()
    {
        // Six points below with one on the median (5, the median of all 15) in the middle: still a shift of six; the
        // point on the median is not marked.
        var result = SignalAnalyzer.Analyze(Of(9, 1, 8, 9, 8, 9, 1, 2, 1, 5, 2, 1, 2, 8, 9), RunChart() with { RunChartBaselinePoints = 15 });
        Assert.Equal(5, result.Periods[0].Centre);
        Assert.Equal([6, 7, 8, 10, 11, 12], Marked(result, SignalRule.Shift));
        Assert.Equal(SignalRule.None, result.Points[9].Rule);
    }

    [Fact]
    public void A_point_a_rounding_error_from_the_median_counts_as_on_it()
    {
        // The baseline median is (0.1 + 0.2) / 2 = 0.15000000000000002 in binary floating point. The 0.15 among the
        // 0.2s is on the median: skipped, so the 0.2s make a shift of seven. Taken as below, it would break the run.
        var result = SignalAnalyzer.Analyze(
            Of(0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.2, 0.2, 0.2, 0.15, 0.2, 0.2, 0.2), RunChart());
        Assert.NotEqual(0.15, result.Periods[0].Centre);
        Assert.Equal([11, 12, 13, 14, 16, 17, 18], Marked(result, SignalRule.Shift));
        Assert.Equal(SignalRule.None, result.Points[15].Rule);
    }

    [Fact]
    public void Five_points_going_up_are_a_trend()
    {
        var result = SignalAnalyzer.Analyze(Of(1, 2, 3, 4, 5), RunChart());
        Assert.Equal(Range(0, 4), Marked(result, SignalRule.Trend));
        Assert.All(result.Points, p => Assert.Equal(SpecialCause.Improvement, p.SpecialCause));
    }

    [Fact]
    public void Four_points_going_up_are_not_a_trend()
    {
        Assert.Empty(Special(SignalAnalyzer.Analyze(Of(1, 2, 3, 4), RunChart())));
    }

    [Fact]
    public void Equal_neighbours_count_once_and_do_not_break_a_trend()
    {
        // 1 2 2 3 4 5: five distinct values going up, six points marked.
        var trend = SignalAnalyzer.Analyze(Of(1, 2, 2, 3, 4, 5), RunChart());
        Assert.Equal(Range(0, 5), Marked(trend, SignalRule.Trend));
        // 1 2 2 3 4: only four.
        Assert.Empty(Special(SignalAnalyzer.Analyze(Of(1, 2, 2, 3, 4), RunChart())));
    }

    [Fact]
    public void A_falling_trend_is_an_improvement_when_lower_is_better()
    {
        var result = SignalAnalyzer.Analyze(Of(5, 4, 3, 2, 1), RunChart(ImprovementDirection.Decrease));
        Assert.All(result.Points, p => Assert.Equal((SignalRule.Trend, SpecialCause.Improvement), (p.Rule, p.SpecialCause)));
    }

    [Fact]
    public void A_plateau_where_a_trend_turns_belongs_to_the_later_trend()
    {
        // 1 2 3 4 5 5 4 3 2 1: up through five values, then down through five; the two 5s take the falling direction.
        var result = SignalAnalyzer.Analyze(Of(1, 2, 3, 4, 5, 5, 4, 3, 2, 1), RunChart());
        Assert.All(Range(0, 3), i => Assert.Equal(SpecialCause.Improvement, result.Points[i].SpecialCause));
        Assert.All(Range(4, 9), i => Assert.Equal(SpecialCause.Concern, result.Points[i].SpecialCause));
        Assert.All(result.Points, p => Assert.Equal(SignalRule.Trend, p.Rule));
    }

    [Fact]
    public void Shift_outranks_trend()
    {
        // 13 9 8 7 6 5 4 falls through seven values; 9 … 4 are also six points below the median (10): shift first.
        var result = SignalAnalyzer.Analyze(Of(12, 11, 13, 12, 11, 13, 9, 8, 7, 6, 5, 4), RunChart());
        Assert.Equal(10, result.Periods[0].Centre);
        Assert.Equal(Range(0, 11), Marked(result, SignalRule.Shift)); // the six above are a shift too
        Assert.Empty(Marked(result, SignalRule.Trend));
    }

    [Fact]
    public void Too_few_runs_is_a_signal_on_every_point_off_the_median()
    {
        var (series, options) = FromRuns(5, 5, 5, 5);
        var result = SignalAnalyzer.Analyze(series, options);
        var runs = result.Periods[0].Runs!;
        Assert.Equal((20, 4, new RunsCriticalValues(6, 16)), (runs.UsefulPoints, runs.Runs, runs.Critical));
        Assert.True(runs.TooFew);
        Assert.All(result.Points, p => Assert.Equal((SignalRule.Runs, SpecialCause.Neutral), (p.Rule, p.SpecialCause)));
        Assert.Equal("◆ unusual pattern: the line crosses the median too rarely (4 runs in 20 weeks; 7 to 15 expected by chance)", result.Description);
    }

    [Theory]
    [InlineData(new[] { 4, 3, 3, 4, 3, 3 }, 6, true)] // at the lower critical value: signal
    [InlineData(new[] { 3, 3, 3, 4, 2, 3, 2 }, 7, false)]
    [InlineData(new[] { 2, 2, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 15, false)]
    [InlineData(new[] { 2, 2, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1 }, 16, true)] // at the upper critical value: signal
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 20, true)]
    public void Runs_at_and_inside_the_critical_values_for_20_points(int[] lengths, int runs, bool signal)
    {
        var (series, options) = FromRuns(lengths);
        var result = SignalAnalyzer.Analyze(series, options);
        Assert.Equal(20, result.Periods[0].Runs!.UsefulPoints);
        Assert.Equal(runs, result.Periods[0].Runs!.Runs);
        Assert.Equal(signal, result.Periods[0].Runs!.IsSignal);
        Assert.Equal(signal ? 20 : 0, Marked(result, SignalRule.Runs).Length);
        Assert.Equal(signal ? 20 : 0, Special(result).Length);
    }

    [Fact]
    public void Too_many_runs_is_described_as_crossing_too_often()
    {
        var (series, options) = FromRuns(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        var result = SignalAnalyzer.Analyze(series, options);
        Assert.True(result.Periods[0].Runs!.TooMany);
        Assert.Equal("◆ unusual pattern: the line crosses the median too often (20 runs in 20 weeks; 7 to 15 expected by chance)", result.Description);
        Assert.Equal(VariationIcon.NeitherHigh, result.Variation);
    }

    [Fact]
    public void The_runs_rule_waits_for_10_useful_points()
    {
        // Nine points alternating about the median (and one on it): as many runs as can be, but no test yet.
        var result = SignalAnalyzer.Analyze(Of(1, 9, 1, 9, 5, 1, 9, 1, 9, 1), RunChart() with { RunChartBaselinePoints = 9 });
        Assert.Equal(5, result.Periods[0].Centre);
        Assert.Equal((9, 9), (result.Periods[0].Runs!.UsefulPoints, result.Periods[0].Runs!.Runs));
        Assert.Null(result.Periods[0].Runs!.Critical);
        Assert.Empty(Special(result));
    }

    [Fact]
    public void Points_on_the_median_do_not_count_as_useful_points()
    {
        // 10 points, 2 on the median: 8 useful, below the 10 the runs rule needs.
        var result = SignalAnalyzer.Analyze(Of(1, 9, 5, 1, 9, 1, 5, 9, 1, 9), RunChart());
        Assert.Equal(5, result.Periods[0].Centre);
        Assert.Equal(8, result.Periods[0].Runs!.UsefulPoints);
        Assert.Null(result.Periods[0].Runs!.Critical);
    }

    [Fact]
    public void A_rebase_starts_a_new_baseline_and_rules_do_not_cross_it()
    {
        // 1 2 3 | 4 5 rises through five values across the rebase: a trend for the whole series, none once rebased.
        double[] values = [5, 1, 5, 1, 2, 3, 4, 5, 1, 5, 1, 5];
        var whole = SignalAnalyzer.Analyze(Of(values), RunChart());
        var rebased = SignalAnalyzer.Analyze(Of(values), RunChart() with { RebaseAt = [6] });

        Assert.Equal(Range(3, 7), Marked(whole, SignalRule.Trend));
        Assert.Equal(2, rebased.Periods.Count);
        Assert.Equal((0, 6, 2.5, 6), (rebased.Periods[0].Start, rebased.Periods[0].Count, rebased.Periods[0].Centre, rebased.Periods[0].BaselineCount));
        Assert.Equal((6, 6, 4.5, 6), (rebased.Periods[1].Start, rebased.Periods[1].Count, rebased.Periods[1].Centre, rebased.Periods[1].BaselineCount));
        Assert.All(Range(6, 11), i => Assert.Equal((4.5, 1), (rebased.Points[i].Centre, rebased.Points[i].Period)));
        Assert.Empty(Special(rebased));
    }
}
