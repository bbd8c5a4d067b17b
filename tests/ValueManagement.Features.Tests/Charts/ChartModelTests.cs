using ValueManagement.Features.Charts;

namespace ValueManagement.Features.Tests.Charts;

public sealed class ChartModelTests
{
    [Fact]
    public void Validate_Samples_AreValid()
    {
        Assert.Empty(ChartSamples.Falls(26, improved: 7).Validate());
        Assert.Empty(ChartSamples.CostWithGapsAndRebase(52).Validate());
    }

    [Fact]
    public void Validate_NoPoints_IsAProblem()
    {
        var model = new ChartModel { Title = "Falls", Points = [] };
        Assert.Contains(model.Validate(), p => p.Contains("at least one point"));
    }

    [Fact]
    public void Validate_ListsEachProblem()
    {
        var model = new ChartModel
        {
            Title = " ",
            Points =
            [
                new ChartPoint("2026-W01", double.NaN),
                new ChartPoint("2026-W01", 3),
                new ChartPoint("2026-W03", null, SpecialCause.Concern),
                new ChartPoint("2026-W04", 2) { LowerLimit = 5, UpperLimit = 1 },
                new ChartPoint("", 1),
            ],
            Target = double.PositiveInfinity,
            Annotations = [new ChartAnnotation("2026-W09", "change adopted")],
        };
        var problems = model.Validate();
        Assert.Contains(problems, p => p.StartsWith("Title"));
        Assert.Contains(problems, p => p.Contains("Point 0's value"));
        Assert.Contains(problems, p => p.Contains("used twice"));
        Assert.Contains(problems, p => p.Contains("Point 2 has no value"));
        Assert.Contains(problems, p => p.Contains("lower limit is above"));
        Assert.Contains(problems, p => p.Contains("Point 4 needs a label"));
        Assert.Contains(problems, p => p.StartsWith("Target"));
        Assert.Contains(problems, p => p.Contains("2026-W09"));
        Assert.Throws<ArgumentException>(model.EnsureValid);
    }

    [Fact]
    public void Validate_TooManyPoints_IsAProblem()
    {
        var model = new ChartModel { Title = "Falls", Points = Enumerable.Range(0, ChartModel.MaxPoints + 1).Select(i => new ChartPoint($"p{i}", i)).ToList() };
        Assert.Contains(model.Validate(), p => p.Contains("at most"));
    }
}
