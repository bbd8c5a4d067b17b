using ValueManagement.Core.Measures;

namespace ValueManagement.Core.Tests.Measures;

public class MeasureFormatTests
{
    private static MeasureDefinition Measure(MeasureUnit unit, int decimals) => new()
    {
        Key = "measure",
        Name = "Measure",
        Unit = unit,
        Category = MeasureCategory.Cost,
        Direction = MeasureDirection.LowerIsBetter,
        Decimals = decimals,
    };

    [Theory]
    [InlineData(MeasureUnit.Pounds, 2, 438.5, "£438.50")]
    [InlineData(MeasureUnit.Pounds, 2, 1219.5, "£1,219.50")]
    [InlineData(MeasureUnit.Pounds, 0, 52340.4, "£52,340")]
    [InlineData(MeasureUnit.Pounds, 2, -12.5, "-£12.50")]
    [InlineData(MeasureUnit.Percent, 1, 12.5, "12.5%")]
    [InlineData(MeasureUnit.Percent, 0, 99.5, "100%")]
    [InlineData(MeasureUnit.Count, 0, 3, "3")]
    [InlineData(MeasureUnit.Count, 0, 1234, "1,234")]
    [InlineData(MeasureUnit.Hours, 1, 37.25, "37.3")]
    [InlineData(MeasureUnit.Wte, 2, 1.5, "1.50")]
    [InlineData(MeasureUnit.Days, 0, 196, "196")]
    [InlineData(MeasureUnit.Rate, 2, 0.125, "0.13")]
    [InlineData(MeasureUnit.Pounds, 2, 438.505, "£438.51")] // half away from zero, on the typed decimal value
    [InlineData(MeasureUnit.Count, 0, -0.4, "0")]           // never "-0"
    public void Format_UsesUnitAndDecimals(MeasureUnit unit, int decimals, double value, string expected)
    {
        Assert.Equal(expected, MeasureFormat.Format(Measure(unit, decimals), value));
    }

    [Theory]
    [InlineData(MeasureUnit.Percent, 1, 0.7, "0.7 points")]
    [InlineData(MeasureUnit.Percent, 0, 1, "1 point")]
    [InlineData(MeasureUnit.Percent, 1, 1, "1.0 points")]
    [InlineData(MeasureUnit.Percent, 0, 0.4, "0 points")]
    [InlineData(MeasureUnit.Pounds, 2, 4.94, "£4.94")]
    [InlineData(MeasureUnit.Count, 0, 3, "3")]
    public void FormatDifference_OfPercentages_IsInPoints(MeasureUnit unit, int decimals, double difference, string expected)
    {
        Assert.Equal(expected, MeasureFormat.FormatDifference(Measure(unit, decimals), difference));
    }

    [Fact]
    public void Format_Missing_IsEmDash()
    {
        Assert.Equal("—", MeasureFormat.Format(Measure(MeasureUnit.Pounds, 2), null));
        Assert.Equal("—", MeasureFormat.Format(Measure(MeasureUnit.Pounds, 2), double.PositiveInfinity));
    }

    [Fact]
    public void Format_IgnoresCurrentCulture()
    {
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("£1,219.50", MeasureFormat.Format(Measure(MeasureUnit.Pounds, 2), 1219.5));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData(MeasureUnit.Pounds, 2, 1219.5, "1219.5")]
    [InlineData(MeasureUnit.Percent, 1, 12.54, "12.5")]
    [InlineData(MeasureUnit.Count, 0, 3, "3")]
    public void FormatForEntry_NoGroupingNoUnit(MeasureUnit unit, int decimals, double value, string expected)
    {
        Assert.Equal(expected, MeasureFormat.FormatForEntry(Measure(unit, decimals), value));
    }

    [Fact]
    public void FormatForEntry_Missing_IsEmpty()
    {
        Assert.Equal(string.Empty, MeasureFormat.FormatForEntry(Measure(MeasureUnit.Count, 0), null));
    }

    [Theory]
    [InlineData(MeasureUnit.Pounds, 1000000, "£1000000")]
    [InlineData(MeasureUnit.Percent, 100, "100%")]
    [InlineData(MeasureUnit.Hours, 80, "80 hours")]
    [InlineData(MeasureUnit.Days, 7, "7 days")]
    [InlineData(MeasureUnit.Wte, 2.5, "2.5 WTE")]
    [InlineData(MeasureUnit.Count, 50, "50")]
    [InlineData(MeasureUnit.Pounds, -5, "-£5")]
    public void WithUnit_ForMessages(MeasureUnit unit, double value, string expected)
    {
        Assert.Equal(expected, MeasureFormat.WithUnit(unit, value));
    }
}
