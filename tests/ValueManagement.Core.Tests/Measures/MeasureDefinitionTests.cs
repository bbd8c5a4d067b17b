using ValueManagement.Core.Measures;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.Measures;

public class MeasureDefinitionTests
{
    private static readonly MeasureDefinition DirectCare = new()
    {
        Key = "rnDirectCareTime", Name = "RN time in direct care", Unit = MeasureUnit.Percent,
        Category = MeasureCategory.Capacity, Direction = MeasureDirection.HigherIsBetter,
        Target = 60, AmberTolerance = 10, SampleEveryWeeks = 8,
    };

    [Fact]
    public void AmberToleranceInUnit_AbsolutePercentNoneAndNoTarget()
    {
        Assert.Equal(10, DirectCare.AmberToleranceInUnit);
        Assert.Equal(6, (DirectCare with { AmberTolerance = null, AmberTolerancePercent = 10 }).AmberToleranceInUnit);
        Assert.Equal(0, (DirectCare with { AmberTolerance = null }).AmberToleranceInUnit);
        Assert.Null((DirectCare with { Target = null }).AmberToleranceInUnit);
    }

    [Fact]
    public void IsDueIn_WeeklyMeasure_AlwaysDue()
    {
        var weekly = DirectCare with { SampleEveryWeeks = null };

        Assert.True(weekly.IsDueIn(IsoWeek.Parse("2026-W48"), IsoWeek.Parse("2026-W47")));
    }

    [Theory]
    [InlineData("2026-W48", null, true)]       // never sampled
    [InlineData("2026-W48", "2026-W48", true)] // correcting the sample week
    [InlineData("2026-W48", "2026-W41", false)]
    [InlineData("2026-W48", "2026-W40", true)] // 8 weeks since
    [InlineData("2027-W03", "2026-W48", true)] // 8 weeks across 2026-W53
    [InlineData("2027-W02", "2026-W48", false)]
    public void IsDueIn_SampledMeasure_EveryNWeeks(string week, string? lastSampled, bool due)
    {
        IsoWeek? last = lastSampled is null ? null : IsoWeek.Parse(lastSampled);

        Assert.Equal(due, DirectCare.IsDueIn(IsoWeek.Parse(week), last));
    }

    [Fact]
    public void SourceFlags_FollowSource()
    {
        Assert.True(DirectCare.IsEntered);
        Assert.True((DirectCare with { Source = MeasureSource.Imported }).IsImported);
        Assert.True((DirectCare with { Source = MeasureSource.Derived }).IsDerived);
        Assert.True(DirectCare.IsSampled);
    }

    [Theory]
    [InlineData(MeasureCategory.Performance, "Performance: quality, safety, experience")]
    [InlineData(MeasureCategory.Capacity, "Capacity: workforce")]
    [InlineData(MeasureCategory.Cost, "Cost")]
    [InlineData(MeasureCategory.Activity, "Activity and productivity")]
    public void CategoryDisplayName(MeasureCategory category, string name)
    {
        Assert.Equal(name, category.DisplayName());
    }
}
