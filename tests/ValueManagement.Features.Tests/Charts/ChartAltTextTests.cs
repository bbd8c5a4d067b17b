using ValueManagement.Features.Charts;

namespace ValueManagement.Features.Tests.Charts;

public sealed class ChartAltTextTests
{
    private static ChartModel FallsEndingWithImprovement()
    {
        double[] baseline = [4, 6, 3, 5, 2, 7, 4, 5, 3, 4, 6, 2, 5, 4, 6, 3, 5, 4, 7];
        double[] improved = [3, 2, 3, 1, 2, 3, 3];
        var points = baseline.Select(v => (v, SpecialCause.None))
            .Concat(improved.Select(v => (v, SpecialCause.Improvement)))
            .Select((p, i) => new ChartPoint(ChartSamples.Week(22 + i), p.v, p.Item2) { CentreLine = 4.2, LowerLimit = 0, UpperLimit = 9.1 })
            .ToList();
        return new ChartModel { Title = "Falls per week", UnitLabel = "falls", Points = points, Decimals = 0 };
    }

    [Fact]
    public void Describe_SpecialCauseRunAtTheEnd()
    {
        Assert.Equal(
            "Falls per week, 26 weeks to 2026-W48: latest 3, average 4.2, process limits 0 to 9.1; special cause improvement in the last 7 weeks (below average).",
            ChartAltText.Describe(FallsEndingWithImprovement()));
    }

    [Fact]
    public void Describe_TrialLimitsTargetAndPercent()
    {
        var model = new ChartModel
        {
            Title = "Sickness absence",
            UnitLabel = "%",
            TrialLimits = true,
            Target = 4,
            Decimals = 1,
            Points = Enumerable.Range(0, 8).Select(i => new ChartPoint(ChartSamples.Week(i), 4.5 + i % 3 * 0.1) { CentreLine = 4.62, LowerLimit = 3.9, UpperLimit = 5.34 }).ToList(),
        };
        Assert.Equal(
            "Sickness absence, 8 weeks to 2026-W08: latest 4.6%, average 4.62%, trial limits 3.9% to 5.34%, target 4%; common cause variation only, no special cause.",
            ChartAltText.Describe(model));
    }

    [Fact]
    public void Describe_MoneyGapsRebaseAnnotationAndEarlierSignals()
    {
        var text = ChartAltText.Describe(ChartSamples.CostWithGapsAndRebase(53));
        Assert.StartsWith("Cost per patient per week, 53 weeks to 2026-W53: latest £", text);
        Assert.Contains("average £455, process limits £410.50 to £499.50, limits rebased at 2026-W27, target £450, 6 weeks not recorded;", text);
        Assert.Contains("the latest week is common cause variation; earlier, special cause improvement in ", text);
        Assert.Contains(" and concern in ", text);
        Assert.Contains(" and variation (neither improvement nor concern) in ", text);
        Assert.EndsWith("; change adopted at 2026-W27.", text);

        // One week earlier, the latest point was itself a special cause.
        Assert.Contains("; special cause improvement in the latest week (below average); change adopted at 2026-W27.", ChartAltText.Describe(ChartSamples.CostWithGapsAndRebase(52)));
    }

    [Fact]
    public void Describe_LatestWeekNotRecorded_SaysSoAndUsesTheLastRecorded()
    {
        var model = FallsEndingWithImprovement();
        model = model with { Points = [.. model.Points, new ChartPoint("2026-W49", null) { CentreLine = 4.2, LowerLimit = 0, UpperLimit = 9.1 }] };
        Assert.Equal(
            "Falls per week, 27 weeks to 2026-W49: latest week not recorded, last recorded 3 in 2026-W48, average 4.2, process limits 0 to 9.1, 1 week not recorded; special cause improvement in the last 7 weeks (below average).",
            ChartAltText.Describe(model));
    }

    [Fact]
    public void Describe_ConcernTrendAcrossTheMean_SaysRising()
    {
        double[] values = [5, 4, 6, 5, 1, 2, 3, 4, 5, 6, 7];
        var points = values.Select((v, i) => new ChartPoint(ChartSamples.Week(i), v, i >= 4 ? SpecialCause.Concern : SpecialCause.None) { CentreLine = 4.4 }).ToList();
        var text = ChartAltText.Describe(new ChartModel { Title = "Pressure ulcers", Points = points, Decimals = 0 });
        Assert.Equal("Pressure ulcers, 11 weeks to 2026-W11: latest 7, average 4.4; special cause concern in the last 7 weeks (rising).", text);
    }

    [Fact]
    public void Describe_OnePoint_Neutral_Median_Samples()
    {
        var model = new ChartModel
        {
            Title = "Direct care time",
            PeriodName = "sample",
            CentreLineName = "median",
            Points = [new ChartPoint("2026-11-20", 61.5, SpecialCause.Neutral) { CentreLine = 58 }],
        };
        Assert.Equal(
            "Direct care time, 1 sample (2026-11-20): latest 61.5, median 58; special cause variation (neither improvement nor concern) in the latest sample (above median).",
            ChartAltText.Describe(model));
    }

    [Fact]
    public void Describe_NothingRecorded()
    {
        var model = new ChartModel { Title = "Complaints", Points = [new ChartPoint("2026-W47", null), new ChartPoint("2026-W48", null)] };
        Assert.Equal("Complaints, 2 weeks to 2026-W48: no figures recorded.", ChartAltText.Describe(model));
    }

    [Fact]
    public void Describe_SparklineSaysTheSame()
    {
        var model = FallsEndingWithImprovement();
        Assert.Equal(ChartAltText.Describe(model), ChartAltText.Describe(model with { Kind = ChartKind.Sparkline }));
    }

    [Fact]
    public void Describe_ThousandsAndCulture_SameOnEveryServer()
    {
        var model = new ChartModel
        {
            Title = "Cath lab cost per patient per week",
            UnitLabel = "£",
            Decimals = 1,
            Points = [new ChartPoint("2026-W47", 1402.5), new ChartPoint("2026-W48", 1219.5) { CentreLine = 1310.25, LowerLimit = 1190, UpperLimit = 1430.75 }],
        };
        var original = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal(
                "Cath lab cost per patient per week, 2 weeks to 2026-W48: latest £1,219.50, average £1,310.25, process limits £1,190 to £1,430.75; common cause variation only, no special cause.",
                ChartAltText.Describe(model));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = original;
        }
    }
}
