using System.Diagnostics;
using ValueManagement.Core.Signals;
using static ValueManagement.Core.Tests.Signals.Series;

namespace ValueManagement.Core.Tests.Signals;

public class SignalAnalyzerTests
{
    private static readonly double[] Twelve = [10, 12, 11, 13, 9, 11, 12, 10, 11, 13, 10, 12];

    [Fact]
    public void Below_12_points_the_rule_set_is_a_run_chart_and_from_12_an_xmr_chart()
    {
        Assert.Equal(SignalRuleSet.RunChart, SignalAnalyzer.Analyze(Of(Twelve[..11])).RuleSet);
        Assert.Equal(SignalRuleSet.Xmr, SignalAnalyzer.Analyze(Of(Twelve)).RuleSet);
        Assert.Equal(SignalRuleSet.Xmr, SignalAnalyzer.Analyze(Of(Twelve[..5]), Xmr()).RuleSet);
        Assert.Equal(SignalRuleSet.RunChart, SignalAnalyzer.Analyze(Of(Twelve), RunChart()).RuleSet);
        Assert.Equal(SignalRuleSet.Xmr, SignalAnalyzer.Analyze(Of(Twelve[..8]), new SignalOptions { MinimumPointsForXmr = 8 }).RuleSet);
    }

    [Fact]
    public void Fewer_than_12_points_give_trial_limits()
    {
        var eleven = SignalAnalyzer.Analyze(Of(Twelve[..11]), Xmr());
        var twelve = SignalAnalyzer.Analyze(Of(Twelve), Xmr());
        Assert.True(eleven.IsTrial);
        Assert.True(eleven.Periods[0].IsTrial);
        Assert.False(twelve.IsTrial);
        Assert.True(SignalAnalyzer.Analyze(Of(Twelve), Xmr() with { TrialBelowPoints = 13 }).IsTrial);
    }

    [Fact]
    public void A_trend_spanning_a_rebase_is_not_a_trend()
    {
        // 1 … 8 rise across the rebase at index 6: eight points for the whole series, four and four once rebased.
        double[] values = [5, 0, 5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 8, 0, 8];
        var whole = SignalAnalyzer.Analyze(Of(values), Xmr() with { ScreenMovingRanges = false });
        var rebased = SignalAnalyzer.Analyze(Of(values), Xmr() with { ScreenMovingRanges = false, RebaseAt = [8] });
        Assert.Equal(Range(3, 11), Marked(whole, SignalRule.Trend));
        Assert.Empty(Marked(rebased, SignalRule.Trend));
    }

    [Fact]
    public void Each_rebased_period_has_its_own_limits_from_its_own_points()
    {
        double[] before = [10, 12, 11, 13, 9, 11];
        double[] after = [20, 22, 21, 20, 22];
        var result = SignalAnalyzer.Analyze(Of([.. before, .. after]), Xmr() with { RebaseAt = [6] });
        var alone = SignalAnalyzer.Analyze(Of(after), Xmr());
        Assert.Equal(alone.Periods[0] with { Start = 6 }, result.Periods[1]);
        Assert.Equal(SignalAnalyzer.Analyze(Of(before), Xmr()).Periods[0], result.Periods[0]);
        Assert.All(result.Points.Skip(6), p => Assert.Equal((1, alone.Periods[0].Upper), (p.Period, p.Upper)));
        Assert.Equal(alone.Periods[0].Upper, result.CurrentPeriod!.Upper);
    }

    [Fact]
    public void Rebase_indices_are_sorted_deduplicated_and_checked()
    {
        var result = SignalAnalyzer.Analyze(Of(Twelve), Xmr() with { RebaseAt = [8, 0, 4, 8] });
        Assert.Equal([0, 4, 8], result.Periods.Select(p => p.Start).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalAnalyzer.Analyze(Of(Twelve), Xmr() with { RebaseAt = [12] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalAnalyzer.Analyze(Of(Twelve), Xmr() with { RebaseAt = [-1] }));
    }

    [Theory]
    // outside_high: 60 above the upper limit; outside_low: -40 below the lower one (last point each time).
    [InlineData(new double[] { 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 60 }, ImprovementDirection.Increase, VariationIcon.ImprovementHigh)]
    [InlineData(new double[] { 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 60 }, ImprovementDirection.Decrease, VariationIcon.ConcernHigh)]
    [InlineData(new double[] { 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 60 }, ImprovementDirection.Neither, VariationIcon.NeitherHigh)]
    [InlineData(new double[] { 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, -40 }, ImprovementDirection.Increase, VariationIcon.ConcernLow)]
    [InlineData(new double[] { 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, -40 }, ImprovementDirection.Decrease, VariationIcon.ImprovementLow)]
    [InlineData(new double[] { 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, -40 }, ImprovementDirection.Neither, VariationIcon.NeitherLow)]
    [InlineData(new double[] { 5, 15, 5, 15, 5, 15, 60, 15, 5, 15, 5, 15, 5 }, ImprovementDirection.Increase, VariationIcon.CommonCause)]
    public void The_variation_icon_comes_from_the_last_point(double[] values, ImprovementDirection direction, VariationIcon icon)
    {
        var result = SignalAnalyzer.Analyze(Of(values), Xmr(direction));
        Assert.Equal(icon, result.Variation);
    }

    [Fact]
    public void A_falling_trend_below_the_mean_gives_a_low_icon()
    {
        double[] values = [10, 14, 10, 14, 10, 14, 10, 14, 16, 15, 14, 13, 12, 11, 10];
        Assert.Equal(VariationIcon.ConcernLow, SignalAnalyzer.Analyze(Of(values), Xmr(ImprovementDirection.Increase)).Variation);
        Assert.Equal(VariationIcon.ImprovementLow, SignalAnalyzer.Analyze(Of(values), Xmr(ImprovementDirection.Decrease)).Variation);
    }

    // Values near 100 with small noise: mean 100, mR̄ 2, limits 94.68 … 105.32.
    private static readonly double[] NearHundred = [99, 101, 99, 101, 99, 101, 99, 101, 99, 101, 99, 101];

    [Theory]
    [InlineData(ImprovementDirection.Increase, 90.0, Assurance.ConsistentlyPasses)]
    [InlineData(ImprovementDirection.Increase, 110.0, Assurance.ConsistentlyFails)]
    [InlineData(ImprovementDirection.Increase, 100.0, Assurance.Inconsistent)]
    [InlineData(ImprovementDirection.Decrease, 110.0, Assurance.ConsistentlyPasses)]
    [InlineData(ImprovementDirection.Decrease, 90.0, Assurance.ConsistentlyFails)]
    [InlineData(ImprovementDirection.Decrease, 100.0, Assurance.Inconsistent)]
    [InlineData(ImprovementDirection.Neither, 90.0, Assurance.None)]
    public void Assurance_compares_the_process_range_with_the_target(ImprovementDirection direction, double target, Assurance expected)
    {
        var result = SignalAnalyzer.Analyze(Of(NearHundred), Xmr(direction) with { Target = target });
        Assert.Equal((94.68, 105.32), (Math.Round(result.Periods[0].Lower!.Value, 2), Math.Round(result.Periods[0].Upper!.Value, 2)));
        Assert.Equal(expected, result.Assurance);
    }

    [Fact]
    public void A_limit_equal_to_the_target_counts_as_passing()
    {
        var lower = SignalAnalyzer.Analyze(Of(NearHundred), Xmr()).Periods[0].Lower!.Value;
        Assert.Equal(Assurance.ConsistentlyPasses, SignalAnalyzer.Analyze(Of(NearHundred), Xmr() with { Target = lower }).Assurance);
    }

    [Fact]
    public void Without_target_limits_or_direction_there_is_no_assurance()
    {
        Assert.Equal(Assurance.None, SignalAnalyzer.Analyze(Of(NearHundred), Xmr()).Assurance);
        Assert.Equal(Assurance.None, SignalAnalyzer.Analyze(Of(NearHundred), RunChart() with { Target = 90 }).Assurance);
        Assert.Equal(Assurance.None, SignalAnalyzer.Analyze(Of(NearHundred), Xmr() with { Target = 90, RebaseAt = [11] }).Assurance);
    }

    [Fact]
    public void Assurance_uses_the_current_period()
    {
        // First period around 100 (would fail a target of 110), second around 120 after a rebase: passes.
        double[] values = [.. NearHundred, 119, 121, 119, 121, 119, 121, 119, 121, 119, 121, 119, 121];
        var result = SignalAnalyzer.Analyze(Of(values), Xmr() with { Target = 110, RebaseAt = [12] });
        Assert.Equal(Assurance.ConsistentlyPasses, result.Assurance);
    }

    [Theory]
    [InlineData(new double[] { 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 60 }, ImprovementDirection.Increase,
        "⊕ improving: latest week above the upper limit")]
    [InlineData(new double[] { 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, 15, 5, -40 }, ImprovementDirection.Increase,
        "⊖ worsening: latest week below the lower limit")]
    [InlineData(new double[] { 10, 14, 10, 14, 10, 14, 10, 14, 9, 10, 11, 12, 13, 14, 15 }, ImprovementDirection.Decrease,
        "⊖ worsening: rising over the last 7 weeks")]
    [InlineData(new double[] { 10, 14, 10, 14, 10, 14, 10, 14, 16, 15, 14, 13, 12, 11, 10, 9 }, ImprovementDirection.Decrease,
        "⊕ improving: falling over the last 8 weeks")]
    [InlineData(new double[] { 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, -1, 1, -1, 1, -1, -1, -1, -3.5, -3.5, 4.5, 1, 4.5 }, ImprovementDirection.Increase,
        "⊕ improving: 2 of the last 3 weeks close to the upper limit")]
    [InlineData(new double[] { -2, 2, -2, 2, -2, 2, -2, 2, -2, 2, -2, 2, 2, 3.5, -2, -1, -1.5, -1, -1.5, -1, -1.5 }, ImprovementDirection.Decrease,
        "⊕ improving: 7 weeks below average")]
    [InlineData(new double[] { 2, -2, 2, -2, 2, -2, 2, -2, 2, -2, 2, -2, -2, -3.5, 2, 1, 1.5, 1, 1.5, 1, 1.5 }, ImprovementDirection.Neither,
        "◆ real change: 7 weeks above average")]
    [InlineData(new double[] { 10, 12, 11, 13, 9, 11, 12, 10, 11, 13, 10, 12 }, ImprovementDirection.Increase,
        "common cause variation: no signal")]
    public void The_description_says_what_the_latest_point_shows(double[] values, ImprovementDirection direction, string expected)
    {
        Assert.Equal(expected, SignalAnalyzer.Analyze(Of(values), Xmr(direction)).Description);
    }

    [Fact]
    public void Run_chart_descriptions_speak_of_the_median()
    {
        Assert.Equal("⊕ improving: 6 weeks above the median",
            SignalAnalyzer.Analyze(Of(1, 2, 1, 2, 1, 2, 8, 9, 8, 9, 8, 9), RunChart()).Description);
        Assert.Equal("⊕ improving: rising over the last 6 weeks",
            SignalAnalyzer.Analyze(Of(3, 1, 2, 2, 3, 4, 5), RunChart()).Description);
    }

    [Fact]
    public void The_point_noun_is_an_option()
    {
        var result = SignalAnalyzer.Analyze(Of(10, 14, 10, 14, 10, 14, 10, 14, 9, 10, 11, 12, 13, 14, 15), Xmr() with { PointNoun = "month" });
        Assert.Equal("⊕ improving: rising over the last 7 months", result.Description);
    }

    [Fact]
    public void Colours_are_the_making_data_count_ones()
    {
        Assert.Equal("#A6A6A6", SignalColours.For(SpecialCause.None));
        Assert.Equal("#00B0F0", SignalColours.For(SpecialCause.Improvement));
        Assert.Equal("#E46C0A", SignalColours.For(SpecialCause.Concern));
        Assert.Equal("#490092", SignalColours.For(SpecialCause.Neutral));
        Assert.Equal(4, SignalColours.Table.Count);
        Assert.Equal(SignalColours.Concern, SignalColours.For(VariationIcon.ConcernLow));
        Assert.Equal(SignalColours.CommonCause, SignalColours.For(VariationIcon.CommonCause));
    }

    [Fact]
    public void Labels_and_values_are_carried_through()
    {
        var result = SignalAnalyzer.Analyze([new("2026-W01", 3.5), new("2026-W02", 4.5)], RunChart());
        Assert.Equal(["2026-W01", "2026-W02"], result.Points.Select(p => p.Label).ToArray());
        Assert.Equal([3.5, 4.5], result.Points.Select(p => p.Value).ToArray());
        Assert.Equal([0, 1], result.Points.Select(p => p.Index).ToArray());
    }

    [Fact]
    public void An_empty_series_has_no_signal_and_says_so()
    {
        var result = SignalAnalyzer.Analyze([]);
        Assert.Empty(result.Points);
        Assert.Null(result.CurrentPeriod);
        Assert.Equal((VariationIcon.CommonCause, Assurance.None, "no data yet"), (result.Variation, result.Assurance, result.Description));
    }

    [Fact]
    public void Values_that_are_not_finite_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => SignalAnalyzer.Analyze([new("w01", 1), new("w02", double.NaN)]));
        Assert.Contains("w02", error.Message);
        Assert.Throws<ArgumentException>(() => SignalAnalyzer.Analyze([new("w01", double.PositiveInfinity)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalAnalyzer.Analyze(Of(1, 2), new SignalOptions { RunChartBaselinePoints = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignalAnalyzer.Analyze(Of(1, 2), new SignalOptions { Target = double.NaN }));
    }

    [Fact]
    public void A_box_score_of_30_measures_over_3_years_takes_under_5_ms()
    {
        // 30 measures × 156 weeks, half XmR and half run charts, with signals of every kind in them.
        var random = new Random(7);
        var measures = new List<IReadOnlyList<SeriesPoint>>();
        for (var m = 0; m < 30; m++)
        {
            var values = new double[156];
            for (var i = 0; i < values.Length; i++) values[i] = 100 + (i > 100 ? 8 : 0) + random.NextDouble() * 10 - (i % 40 < 7 ? i % 40 : 0);
            measures.Add(Of(values));
        }
        var options = new SignalOptions[30];
        for (var m = 0; m < 30; m++)
            options[m] = new SignalOptions { RuleSet = m % 2 == 0 ? SignalRuleSet.Xmr : SignalRuleSet.RunChart, Direction = ImprovementDirection.Decrease, Target = 104 };

        void All()
        {
            for (var m = 0; m < 30; m++) SignalAnalyzer.Analyze(measures[m], options[m]);
        }

        All(); // warm up: JIT and the runs cache
        var best = TimeSpan.MaxValue;
        for (var attempt = 0; attempt < 7; attempt++)
        {
            var clock = Stopwatch.StartNew();
            All();
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }
        Assert.True(best < TimeSpan.FromMilliseconds(5), $"30 measures × 156 weeks took {best.TotalMilliseconds:0.###} ms");
    }
}
