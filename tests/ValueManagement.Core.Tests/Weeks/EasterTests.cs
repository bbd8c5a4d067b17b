using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.Weeks;

public class EasterTests
{
    [Theory]
    [InlineData(1818, "1818-03-22")] // earliest possible date
    [InlineData(1943, "1943-04-25")] // latest possible date
    [InlineData(2000, "2000-04-23")]
    [InlineData(2019, "2019-04-21")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2028, "2028-04-16")]
    [InlineData(2029, "2029-04-01")]
    [InlineData(2030, "2030-04-21")]
    [InlineData(2038, "2038-04-25")]
    [InlineData(2285, "2285-03-22")]
    public void Sunday_KnownDates(int year, string date)
    {
        Assert.Equal(DateOnly.Parse(date), Easter.Sunday(year));
    }

    [Theory]
    [InlineData(2026, "2026-04-03")]
    [InlineData(2027, "2027-03-26")]
    public void GoodFriday_IsTwoDaysBefore(int year, string goodFriday)
    {
        Assert.Equal(DateOnly.Parse(goodFriday), Easter.Sunday(year).AddDays(-2));
        Assert.Contains(ScottishBankHolidays.ForYear(year), h => h.Name == "Good Friday" && h.Date == DateOnly.Parse(goodFriday));
    }

    [Fact]
    public void Sunday_BeforeGregorianReform_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Easter.Sunday(1500));
    }
}
