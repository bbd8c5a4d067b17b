using ValueManagement.Core.Measures;

namespace ValueManagement.Core.Tests.Measures;

public class RatingRulesTests
{
    private static MeasureDefinition Measure(
        MeasureDirection direction,
        double? target,
        double? tolerance = null,
        double? tolerancePercent = null,
        int decimals = 0) => new()
        {
            Key = "measure",
            Name = "Measure",
            Unit = MeasureUnit.Count,
            Category = MeasureCategory.Performance,
            Direction = direction,
            Target = target,
            AmberTolerance = tolerance,
            AmberTolerancePercent = tolerancePercent,
            Decimals = decimals,
        };

    [Theory]
    [InlineData(3, Rating.Green)]   // better
    [InlineData(5, Rating.Green)]   // exactly on target
    [InlineData(6, Rating.Amber)]   // wrong side, inside tolerance
    [InlineData(7, Rating.Amber)]   // exactly at tolerance
    [InlineData(7.4, Rating.Amber)] // shows as 7 with 0 decimals
    [InlineData(7.5, Rating.Red)]   // shows as 8
    [InlineData(8, Rating.Red)]
    public void Rate_LowerIsBetter(double value, Rating expected)
    {
        Assert.Equal(expected, RatingRules.Rate(Measure(MeasureDirection.LowerIsBetter, 5, tolerance: 2), value));
    }

    [Theory]
    [InlineData(99, Rating.Green)]
    [InlineData(95, Rating.Green)]
    [InlineData(94.9, Rating.Amber)]
    [InlineData(90, Rating.Amber)]
    [InlineData(89.9, Rating.Red)]
    public void Rate_HigherIsBetter(double value, Rating expected)
    {
        Assert.Equal(expected, RatingRules.Rate(Measure(MeasureDirection.HigherIsBetter, 95, tolerance: 5, decimals: 1), value));
    }

    [Theory]
    [InlineData(450, Rating.Green)]
    [InlineData(472.5, Rating.Amber)] // exactly 5% over
    [InlineData(472.51, Rating.Red)]
    [InlineData(400, Rating.Green)]
    public void Rate_TolerancePercentOfTarget(double value, Rating expected)
    {
        Assert.Equal(expected, RatingRules.Rate(Measure(MeasureDirection.LowerIsBetter, 450, tolerancePercent: 5, decimals: 2), value));
    }

    [Fact]
    public void Rate_ExactlyAtPercentTolerance_DespiteFloatingPointNoise()
    {
        // In binary floating point 1.1 - 0.99 is 0.1100000000000001, a little more than 10% of 1.1.
        var measure = Measure(MeasureDirection.HigherIsBetter, 1.1, tolerancePercent: 10, decimals: 2);

        Assert.True(1.1 - 0.99 > 1.1 * 10 / 100);
        Assert.Equal(Rating.Amber, RatingRules.Rate(measure, 0.99));
        Assert.Equal(Rating.Red, RatingRules.Rate(measure, 0.98));
    }

    [Fact]
    public void Rate_NoTolerance_AnyMissIsRed()
    {
        var measure = Measure(MeasureDirection.LowerIsBetter, 0);

        Assert.Equal(Rating.Green, RatingRules.Rate(measure, 0));
        Assert.Equal(Rating.Red, RatingRules.Rate(measure, 1));
    }

    [Fact]
    public void Rate_NoTarget_IsNone()
    {
        Assert.Equal(Rating.None, RatingRules.Rate(Measure(MeasureDirection.LowerIsBetter, null), 3));
    }

    [Fact]
    public void Rate_NoValue_IsNone()
    {
        Assert.Equal(Rating.None, RatingRules.Rate(Measure(MeasureDirection.LowerIsBetter, 5, 2), null));
        Assert.Equal(Rating.None, RatingRules.Rate(Measure(MeasureDirection.LowerIsBetter, 5, 2), double.NaN));
    }

    [Theory]
    [InlineData(196, Rating.Green)]
    [InlineData(190, Rating.Amber)]
    [InlineData(202, Rating.Amber)]
    [InlineData(189, Rating.Red)]
    [InlineData(203, Rating.Red)]
    public void Rate_Neither_ByDistanceEitherSide(double value, Rating expected)
    {
        Assert.Equal(expected, RatingRules.Rate(Measure(MeasureDirection.Neither, 196, tolerance: 6), value));
    }

    [Fact]
    public void Rate_NegativeTargetWithPercent_UsesMagnitude()
    {
        var measure = Measure(MeasureDirection.HigherIsBetter, -100, tolerancePercent: 10);

        Assert.Equal(Rating.Amber, RatingRules.Rate(measure, -110));
        Assert.Equal(Rating.Red, RatingRules.Rate(measure, -111));
    }

    [Fact]
    public void Rate_DefaultRating_IsNone()
    {
        Assert.Equal(Rating.None, default(Rating));
    }

    [Theory]
    [InlineData(Rating.Green, "On target")]
    [InlineData(Rating.Amber, "Near target")]
    [InlineData(Rating.Red, "Off target")]
    [InlineData(Rating.None, "No target")]
    public void Label_GivesWordsBesideTheColour(Rating rating, string label)
    {
        Assert.Equal(label, rating.Label());
    }
}
