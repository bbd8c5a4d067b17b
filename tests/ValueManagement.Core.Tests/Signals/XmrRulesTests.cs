using ValueManagement.Core.Signals;
using static ValueManagement.Core.Tests.Signals.Series;

namespace ValueManagement.Core.Tests.Signals;

/// <summary>
/// The Making Data Count rules, from the rule text in the domain document. Expected marks were worked out by hand and
/// cross-checked against a restatement of NHSRplotthedots' R code.
/// </summary>
public class XmrRulesTests
{
    [Fact]
    public void Limits_are_the_mean_plus_or_minus_2_66_mean_moving_ranges()
    {
        // mean 2.6; moving ranges 2, 1, 2, 1 → mR̄ 1.5 (none ≥ 3.267 · 1.5); limits 2.6 ∓ 3.99; band edges 2.6 ∓ 1.7733… · 1.5.
        var result = SignalAnalyzer.Analyze(Of(1, 3, 2, 4, 3), Xmr());
        var period = Assert.Single(result.Periods);
        Assert.Equal(2.6, period.Centre, 12);
        Assert.Equal(1.5, period.MeanMovingRange!.Value, 12);
        Assert.Equal(2.6 - 3.99, period.Lower!.Value, 12);
        Assert.Equal(2.6 + 3.99, period.Upper!.Value, 12);
        Assert.Equal(2.6 - 2.0 / 3 * 2.66 * 1.5, period.NearLower!.Value, 12);
        Assert.Equal(2.6 + 2.0 / 3 * 2.66 * 1.5, period.NearUpper!.Value, 12);
        Assert.All(result.Points, p => Assert.Equal((2.6, 2.6 - 3.99, 2.6 + 3.99), (p.Centre, p.Lower!.Value, p.Upper!.Value)));
    }

    [Fact]
    public void Screening_drops_large_moving_ranges_once_and_recomputes()
    {
        // Moving ranges: seven of 1, then 5, then 20. mR̄ = 32/9 ≈ 3.56; 20 ≥ 3.267 · 3.56 ≈ 11.6 is dropped; the mean
        // of the rest is 12/8 = 1.5. Done once: 5 is not dropped, though 5 ≥ 3.267 · 1.5.
        var series = Of(0, 1, 0, 1, 0, 1, 0, 1, 6, -14);
        var screened = SignalAnalyzer.Analyze(series, Xmr()).Periods[0];
        var unscreened = SignalAnalyzer.Analyze(series, Xmr() with { ScreenMovingRanges = false }).Periods[0];

        Assert.Equal(1.5, screened.MeanMovingRange!.Value, 12);
        Assert.Equal(32.0 / 9, unscreened.MeanMovingRange!.Value, 12);
        Assert.Equal(screened.Centre, unscreened.Centre);
        Assert.True(unscreened.Upper - unscreened.Lower > screened.Upper - screened.Lower);
    }

    [Fact]
    public void A_flat_series_has_no_moving_range_to_screen_and_no_signal()
    {
        var result = SignalAnalyzer.Analyze(Of(5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5), Xmr());
        var period = result.Periods[0];
        Assert.Equal((5.0, 5.0, 5.0, 0.0), (period.Centre, period.Lower!.Value, period.Upper!.Value, period.MeanMovingRange!.Value));
        Assert.Empty(Special(result)); // on the mean: no side, no shift; equal values: no trend
    }

    [Fact]
    public void A_point_above_the_upper_limit_is_special_cause()
    {
        // mean 180/13 ≈ 13.85, mR̄ = 190/12 ≈ 15.83, upper limit ≈ 55.96: 60 is outside, everything else is noise.
        var result = SignalAnalyzer.Analyze(Of(5, 15, 5, 15, 5, 15, 60, 15, 5, 15, 5, 15, 5), Xmr());
        Assert.Equal([6], Special(result));
        Assert.Equal((SignalRule.OutsideLimits, SpecialCause.Improvement), (result.Points[6].Rule, result.Points[6].SpecialCause));
        Assert.True(result.Points[6].Value > result.Points[6].Upper);
    }

    [Fact]
    public void A_point_below_the_lower_limit_is_a_concern_when_higher_is_better()
    {
        var result = SignalAnalyzer.Analyze(Of(15, 5, 15, 5, 15, 5, -40, 5, 15, 5, 15, 5, 15), Xmr());
        Assert.Equal([6], Special(result));
        Assert.Equal((SignalRule.OutsideLimits, SpecialCause.Concern), (result.Points[6].Rule, result.Points[6].SpecialCause));
    }

    [Fact]
    public void Seven_points_rising_are_a_trend_and_all_seven_are_marked()
    {
        var result = SignalAnalyzer.Analyze(Of(10, 14, 10, 14, 10, 14, 9, 10, 11, 12, 13, 14, 15, 10, 14), Xmr());
        Assert.Equal(Range(6, 12), Special(result));
        Assert.All(Range(6, 12), i => Assert.Equal((SignalRule.Trend, SpecialCause.Improvement), (result.Points[i].Rule, result.Points[i].SpecialCause)));
    }

    [Fact]
    public void Six_points_rising_are_not_a_trend()
    {
        var result = SignalAnalyzer.Analyze(Of(10, 14, 10, 14, 10, 14, 10, 14, 9, 10, 11, 12, 13, 14, 10, 14), Xmr());
        Assert.Empty(Special(result));
    }

    [Fact]
    public void An_equal_value_breaks_a_trend()
    {
        // 9 10 11 11 12 13 14 15: eight points going up, but 11 = 11 splits them into 3 and 5.
        var result = SignalAnalyzer.Analyze(Of(10, 14, 10, 14, 10, 14, 9, 10, 11, 11, 12, 13, 14, 15, 10, 14), Xmr());
        Assert.Empty(Special(result));
    }

    [Fact]
    public void A_trend_takes_its_own_direction_even_across_the_mean()
    {
        // Rising from −3 to 3 across the mean (≈ −0.17): every point of it is improvement when higher is better,
        // and concern when lower is better, including those on the "good" side of the mean.
        double[] values = [0, -4, 4, -4, 4, -4, 4, -3, -2, -1, 0.5, 1, 2, 3, -4, 4, -4, 4, -4, 4, -4];
        var up = SignalAnalyzer.Analyze(Of(values), Xmr(ImprovementDirection.Increase));
        var down = SignalAnalyzer.Analyze(Of(values), Xmr(ImprovementDirection.Decrease));
        Assert.Equal(Range(7, 13), Marked(up, SignalRule.Trend));
        Assert.Equal(Range(7, 13), Special(up));
        Assert.All(Range(7, 13), i => Assert.Equal(SpecialCause.Improvement, up.Points[i].SpecialCause));
        Assert.All(Range(7, 13), i => Assert.Equal(SpecialCause.Concern, down.Points[i].SpecialCause));
    }

    [Fact]
    public void A_falling_trend_above_the_mean_is_a_concern_when_higher_is_better_and_outranks_the_shift()
    {
        // 3 9 8 7 6 5 4 3 are eight points above the mean (8/7): a shift. 9 … −3 fall eight times in a row: a trend,
        // which comes first; the 3 before it is only in the shift.
        var result = SignalAnalyzer.Analyze(Of(-3, 3, -3, 3, -3, 3, -3, 3, 9, 8, 7, 6, 5, 4, 3, -3, 3, -3, -3, -9, -3), Xmr());
        Assert.Equal(Range(8, 15), Marked(result, SignalRule.Trend));
        Assert.All(Range(8, 15), i => Assert.Equal(SpecialCause.Concern, result.Points[i].SpecialCause));
        Assert.Equal([7], Marked(result, SignalRule.Shift));
        Assert.Equal(SpecialCause.Improvement, result.Points[7].SpecialCause);
    }

    [Fact]
    public void A_point_where_a_rising_trend_peaks_stays_rising_when_the_next_trend_starts_one_point_later()
    {
        // 0 … 9 rise (points 1-10), 9 → 8 falls once, 8 … 15 rise again (points 11-18). Point 10 (the 9) belongs to
        // the first rising trend only, so it takes that trend's direction: improvement when higher is better.
        // NHSRplotthedots' "use the step to the right when the next point is in a trend too" gives it the falling step
        // 9 → 8 instead (a concern); the rule text ("a trend point takes the direction of the trend") says rising.
        double[] values = [1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 14, 15, 14, 15, 16, 17, 18];
        var result = SignalAnalyzer.Analyze(Of(values), Xmr() with { ScreenMovingRanges = false });
        Assert.Equal((SignalRule.Trend, SpecialCause.Improvement), (result.Points[10].Rule, result.Points[10].SpecialCause));
        Assert.Equal((SignalRule.Trend, SpecialCause.Improvement), (result.Points[11].Rule, result.Points[11].SpecialCause));
    }

    [Fact]
    public void Two_of_three_near_the_limit_on_one_side_marks_the_two_not_the_third()
    {
        // mean exactly 0, band edges ±3.18, limits ±4.78: 4.5 _ 4.5 with the middle 1 above the mean fires for the two
        // 4.5s; −3.5 −3.5 after a −1 (all below the mean) fires for the two −3.5s.
        double[] values = [1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, -1, 1, -1, 1, -1, -1, -1, -3.5, -3.5, 4.5, 1, 4.5];
        var result = SignalAnalyzer.Analyze(Of(values), Xmr());
        Assert.Equal(0, result.Periods[0].Centre);
        Assert.Equal([19, 20, 21, 23], Marked(result, SignalRule.TwoOfThree));
        Assert.Equal([19, 20, 21, 23], Special(result));
        Assert.Equal(SpecialCause.Concern, result.Points[19].SpecialCause);
        Assert.Equal(SpecialCause.Improvement, result.Points[23].SpecialCause);
        Assert.Equal(SignalRule.None, result.Points[22].Rule);
    }

    [Fact]
    public void Two_of_three_needs_all_three_points_on_the_same_side_of_the_mean()
    {
        // As above but the middle point is below the mean: 4.5 −1 4.5 is not the pattern.
        double[] values = [1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 4.5, -1, 4.5, -1, 1, -1, 1, -1, 1, -1, 1, -1, -1, -3, -1, -2];
        var result = SignalAnalyzer.Analyze(Of(values), Xmr());
        Assert.Equal(0, result.Periods[0].Centre);
        Assert.Empty(Special(result));
    }

    [Fact]
    public void Two_of_three_needs_points_on_the_same_side_of_the_mean()
    {
        // NHSRplotthedots' test "it only reports special cause for 2 of 3 points close to limits when they are on the
        // same side of the mean": 1, −1 eight times with the last two set to 5.5 and −5.5; both stay common cause.
        double[] values = [1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 5.5, -5.5];
        var result = SignalAnalyzer.Analyze(Of(values), SignalOptions.Default);
        Assert.Equal(SignalRuleSet.Xmr, result.RuleSet);
        Assert.Equal(SpecialCause.None, result.Points[14].SpecialCause);
        Assert.Equal(SpecialCause.None, result.Points[15].SpecialCause);
    }

    [Fact]
    public void Seven_points_above_the_mean_are_a_shift_and_all_are_marked()
    {
        // Sum 0, so the mean is exactly 0; 1 1 1 0.5 1 1 1 are seven points above it.
        var result = SignalAnalyzer.Analyze(Of(2, -2, 2, -2, 2, -2, 1, 1, 1, 0.5, 1, 1, 1, -2, 1, -2, 1, -2, 1, -3.5), Xmr());
        Assert.Equal(Range(6, 12), Marked(result, SignalRule.Shift));
        Assert.Equal(Range(6, 12), Special(result));
        Assert.All(Range(6, 12), i => Assert.Equal(SpecialCause.Improvement, result.Points[i].SpecialCause));
    }

    [Fact]
    public void Six_points_above_the_mean_are_not_a_shift()
    {
        var result = SignalAnalyzer.Analyze(Of(2, -2, 2, -2, 2, -2, 1, 1, 1, 1, 1, 1, -2, 1, -2, 1, -2, 1, -3), Xmr());
        Assert.Equal(0, result.Periods[0].Centre);
        Assert.Empty(Special(result));
    }

    [Fact]
    public void A_point_exactly_on_the_mean_breaks_a_shift()
    {
        // The mean is exactly 0 and the middle point of 1 1 1 0 1 1 1 is on it: two runs of three.
        var result = SignalAnalyzer.Analyze(Of(2, -2, 2, -2, 2, -2, 1, 1, 1, 0, 1, 1, 1, -2, 1, -2, 1, -2, 1, -3), Xmr());
        Assert.Equal(0, result.Periods[0].Centre);
        Assert.Empty(Special(result));
    }

    [Fact]
    public void Outside_the_limits_outranks_the_shift_it_sits_in()
    {
        // 2 2 2 30 2 2 2 are seven points above the mean (0.52); 30 is above the upper limit (≈ 11.04).
        var result = SignalAnalyzer.Analyze(
            Of(3, -3, 3, -3, 3, -3, 2, 2, 2, 30, 2, 2, 2, -3, 3, -3, 3, -3, 3, -3, -6, -4, -6, -4, -6), Xmr());
        Assert.Equal([9], Marked(result, SignalRule.OutsideLimits));
        Assert.Equal([6, 7, 8, 10, 11, 12], Marked(result, SignalRule.Shift));
        Assert.Equal(Range(6, 12), Special(result));
    }

    [Fact]
    public void Two_of_three_outranks_the_shift_it_sits_in()
    {
        // Seven points on one side with two near the limit: the two are two-of-three, the rest shift.
        double[] values = [-1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, 1, 4.5, 1, 4.5, 1, 1, 1, -1, -3, -1, -3, -2.5, -3.5];
        var result = SignalAnalyzer.Analyze(Of(values), Xmr());
        Assert.Equal(0, result.Periods[0].Centre);
        Assert.Equal([13, 15], Marked(result, SignalRule.TwoOfThree));
        Assert.Equal([11, 12, 14, 16, 17, 18], Marked(result, SignalRule.Shift));
    }

    [Fact]
    public void With_neither_direction_every_special_cause_is_neutral()
    {
        var result = SignalAnalyzer.Analyze(Of(5, 15, 5, 15, 5, 15, 60, 15, 5, 15, 5, 15, 5), Xmr(ImprovementDirection.Neither));
        Assert.Equal((SignalRule.OutsideLimits, SpecialCause.Neutral), (result.Points[6].Rule, result.Points[6].SpecialCause));
    }

    [Fact]
    public void A_period_of_one_point_has_a_centre_but_no_limits()
    {
        var result = SignalAnalyzer.Analyze(Of(4), Xmr());
        var period = Assert.Single(result.Periods);
        Assert.Equal(4, period.Centre);
        Assert.Null(period.Lower);
        Assert.Null(period.Upper);
        Assert.Empty(Special(result));
    }
}
