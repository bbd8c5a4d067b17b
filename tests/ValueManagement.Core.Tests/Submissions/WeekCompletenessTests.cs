using ValueManagement.Core.Measures;
using ValueManagement.Core.Submissions;

namespace ValueManagement.Core.Tests.Submissions;

public class WeekCompletenessTests
{
    private static readonly MeasureSet Ward = DefaultMeasureSets.AcuteWard;

    private static Dictionary<string, double?> AllRequiredEntered() =>
        Ward.Measures.Where(m => m.IsEntered && m.IsRequired).ToDictionary(m => m.Key, _ => (double?)1);

    [Fact]
    public void Assess_AllRequiredEntered_IsComplete_EvenAwaitingFinanceData()
    {
        var result = WeekCompleteness.Assess(Ward, AllRequiredEntered());

        Assert.True(result.IsComplete);
        Assert.Empty(result.MissingRequired);
        Assert.Equal(new[] { "payCost", "nonPayCost" }, result.AwaitingImport.Select(m => m.Key));
    }

    [Fact]
    public void Assess_ImportedArrived_NothingAwaited()
    {
        var values = AllRequiredEntered();
        values["payCost"] = 36000;
        values["nonPayCost"] = 7850;

        Assert.Empty(WeekCompleteness.Assess(Ward, values).AwaitingImport);
    }

    [Fact]
    public void Assess_RequiredMissingOrNull_IsIncomplete()
    {
        var values = AllRequiredEntered();
        values.Remove("falls");
        values["sicknessAbsence"] = null;

        var result = WeekCompleteness.Assess(Ward, values);

        Assert.False(result.IsComplete);
        Assert.Equal(new[] { "falls", "sicknessAbsence" }, result.MissingRequired.Select(m => m.Key));
    }

    [Fact]
    public void Assess_OptionalMissing_DoesNotMatter()
    {
        var values = AllRequiredEntered();

        Assert.False(values.ContainsKey("rnDirectCareTime"));
        Assert.True(WeekCompleteness.Assess(Ward, values).IsComplete);
    }

    [Fact]
    public void Assess_MeasureNotDue_NotCounted()
    {
        var values = AllRequiredEntered();
        values.Remove("falls");

        var result = WeekCompleteness.Assess(Ward, values, isDue: m => m.Key is not ("falls" or "payCost"));

        Assert.True(result.IsComplete);
        Assert.Equal(new[] { "nonPayCost" }, result.AwaitingImport.Select(m => m.Key));
    }
}
