namespace ValueManagement.Features.Tests.Demo;

/// <summary>The test's own rule checks behave as the rule text says, on series made for each rule.</summary>
public sealed class ShapeChecksTests
{
    private static readonly double[] Flat = [10, 11, 10, 9, 10, 11, 9, 10, 11, 10, 9, 10, 11, 10, 9, 10, 11, 9, 10, 10];

    [Fact]
    public void Xmr_CommonCause_HasNoMarks() => Assert.Empty(ShapeChecks.Xmr(Flat));

    [Fact]
    public void Xmr_OnePointFarAbove_IsOutsideTheLimits()
    {
        var x = Flat.ToArray();
        x[10] = 20;

        Assert.Equal([new XmrMark(10, XmrRule.OutsideLimits, Side.Up)], ShapeChecks.Xmr(x));
    }

    [Fact]
    public void Xmr_SevenRising_IsATrend_AndAnEqualValueBreaksIt()
    {
        var x = Flat.ToArray();
        double[] rising = [8, 8.5, 9, 9.5, 10, 10.5, 11];
        rising.CopyTo(x, 5);
        Assert.Equal(Enumerable.Range(5, 7), ShapeChecks.Xmr(x).Where(m => m.Rule == XmrRule.Trend).Select(m => m.Index));

        x[8] = x[7];
        Assert.DoesNotContain(ShapeChecks.Xmr(x), m => m.Rule == XmrRule.Trend);
    }

    [Fact]
    public void Xmr_SevenAboveTheMean_IsAShift()
    {
        double[] x = [10, 11, 10, 9, 10, 11, 9, 10, 11, 10, 9, 10, 11, 11.5, 11, 11.5, 11, 11.5, 11, 11.5];

        Assert.Contains(ShapeChecks.Xmr(x), m => m.Rule == XmrRule.Shift && m.Side == Side.Up);
    }

    [Fact]
    public void RunsLimits_MatchTheSwedEisenhartTables()
    {
        Assert.Equal((2, 10), ShapeChecks.RunsLimits(5, 5));
        Assert.Equal((3, 10), ShapeChecks.RunsLimits(5, 6));
        Assert.Equal((6, 16), ShapeChecks.RunsLimits(10, 10));
    }

    [Fact]
    public void RunChart_FindsEachRule()
    {
        Assert.Equal([RunRule.TooManyRuns], ShapeChecks.RunChart([31, 9, 29, 11, 32, 20, 10, 30, 8, 33, 12]));
        Assert.Contains(RunRule.Trend, ShapeChecks.RunChart([5, 4, 4, 6, 7, 9, 9, 10, 3, 2]));
        Assert.Contains(RunRule.TooFewRuns, ShapeChecks.RunChart([1, 2, 1, 2, 1, 5, 9, 8, 9, 8, 9]));
        Assert.Contains(RunRule.Shift, ShapeChecks.RunChart([5, 6, 5, 4, 6, 5, 4, 6, 5, 4, 6, 5, 3, 2, 3, 2, 3, 2]));
    }
}
