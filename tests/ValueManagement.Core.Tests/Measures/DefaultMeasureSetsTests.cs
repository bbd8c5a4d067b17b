using ValueManagement.Core.Measures;

namespace ValueManagement.Core.Tests.Measures;

public class DefaultMeasureSetsTests
{
    private static readonly MeasureSet Ward = DefaultMeasureSets.AcuteWard;

    [Fact]
    public void AcuteWard_IsValid()
    {
        Assert.Empty(Ward.Validate());
    }

    [Fact]
    public void AcuteWard_CoversAllFourCategories()
    {
        Assert.Equal(
            Enum.GetValues<MeasureCategory>(),
            Ward.Measures.Select(m => m.Category).Distinct().Order());
    }

    [Fact]
    public void AcuteWard_HeadlineIsDerivedCostPerPatientPerWeek()
    {
        var headline = Ward["costPerPatientWeek"];

        Assert.True(headline.IsDerived);
        Assert.Equal("totalCost / patientsAdmitted", headline.Formula);
        Assert.Equal("payCost + nonPayCost", Ward["totalCost"].Formula);
        Assert.True(Ward["nonPayCost"].IsImported);
    }

    [Fact]
    public void AcuteWard_ComputesTheHeadlineAsTheCardShowsIt()
    {
        var values = Ward.Compute(new Dictionary<string, double?> { ["payCost"] = 36_000, ["nonPayCost"] = 7_850, ["patientsAdmitted"] = 100 });

        Assert.Equal("£438.50", MeasureFormat.Format(Ward["costPerPatientWeek"], values["costPerPatientWeek"]));
        Assert.Equal(Rating.Green, RatingRules.Rate(Ward["costPerPatientWeek"], values["costPerPatientWeek"]));
    }

    [Fact]
    public void AcuteWard_DirectCareTimeIsSampledEveryEightWeeksAndOptional()
    {
        var directCare = Ward["rnDirectCareTime"];

        Assert.Equal(8, directCare.SampleEveryWeeks);
        Assert.False(directCare.IsRequired);
    }

    [Fact]
    public void AcuteWard_CountsAreWholeNumbersFromZero()
    {
        Assert.All(Ward.Measures.Where(m => m.Unit == MeasureUnit.Count && m.IsEntered), m =>
        {
            Assert.True(m.IsInteger, m.Key);
            Assert.Equal(0, m.Min);
        });
    }

    [Fact]
    public void AcuteWard_PercentagesAreBetweenZeroAndHundred()
    {
        Assert.All(Ward.Measures.Where(m => m.Unit == MeasureUnit.Percent), m =>
        {
            Assert.Equal(0, m.Min);
            Assert.Equal(100, m.Max);
        });
    }
}
