using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.Weeks;

public class ScottishBankHolidaysTests
{
    public static TheoryData<int, string[]> PublishedDates => new()
    {
        { 2026, ["2026-01-01", "2026-01-02", "2026-04-03", "2026-05-04", "2026-05-25", "2026-08-03", "2026-11-30", "2026-12-25", "2026-12-28"] },
        { 2027, ["2027-01-01", "2027-01-04", "2027-03-26", "2027-05-03", "2027-05-31", "2027-08-02", "2027-11-30", "2027-12-27", "2027-12-28"] },
        { 2028, ["2028-01-03", "2028-01-04", "2028-04-14", "2028-05-01", "2028-05-29", "2028-08-07", "2028-11-30", "2028-12-25", "2028-12-26"] },
        { 2029, ["2029-01-01", "2029-01-02", "2029-03-30", "2029-05-07", "2029-05-28", "2029-08-06", "2029-11-30", "2029-12-25", "2029-12-26"] },
        { 2030, ["2030-01-01", "2030-01-02", "2030-04-19", "2030-05-06", "2030-05-27", "2030-08-05", "2030-12-02", "2030-12-25", "2030-12-26"] },
    };

    [Theory]
    [MemberData(nameof(PublishedDates))]
    public void ForYear_GivesTheNineScottishBankHolidays(int year, string[] expected)
    {
        Assert.Equal(expected.Select(DateOnly.Parse).ToArray(), ScottishBankHolidays.ForYear(year).Select(h => h.Date).Order().ToArray());
    }

    [Fact]
    public void ForYear_2026_NamesEachHoliday()
    {
        Assert.Equal(
            new[]
            {
                "New Year's Day", "2 January", "Good Friday", "Early May bank holiday", "Spring bank holiday",
                "Summer bank holiday", "St Andrew's Day", "Christmas Day", "Boxing Day (substitute day)",
            },
            ScottishBankHolidays.ForYear(2026).OrderBy(h => h.Date).Select(h => h.Name).ToArray());
    }

    [Fact]
    public void ForYear_WeekendHolidays_GetSubstituteDaysInOrder()
    {
        var names = ScottishBankHolidays.For2026To2030;

        Assert.Equal("2 January (substitute day)", names.HolidayOn(new DateOnly(2027, 1, 4))?.Name);
        Assert.Equal("Christmas Day (substitute day)", names.HolidayOn(new DateOnly(2027, 12, 27))?.Name);
        Assert.Equal("Boxing Day (substitute day)", names.HolidayOn(new DateOnly(2027, 12, 28))?.Name);
        Assert.Equal("New Year's Day (substitute day)", names.HolidayOn(new DateOnly(2028, 1, 3))?.Name);
        Assert.Equal("2 January (substitute day)", names.HolidayOn(new DateOnly(2028, 1, 4))?.Name);
        Assert.Equal("St Andrew's Day (substitute day)", names.HolidayOn(new DateOnly(2030, 12, 2))?.Name);
    }

    [Fact]
    public void ForYear_NewYearOnSunday_2January_MovesPastTheSubstitute()
    {
        // 2023: 1 January was a Sunday, so New Year's Day moved to Monday 2nd and 2 January to Tuesday 3rd.
        var dates = ScottishBankHolidays.ForYear(2023).Select(h => h.Date).ToList();

        Assert.Contains(new DateOnly(2023, 1, 2), dates);
        Assert.Contains(new DateOnly(2023, 1, 3), dates);
    }

    [Fact]
    public void For2026To2030_HasFortyFiveHolidays_AllOnWeekdays()
    {
        var holidays = ScottishBankHolidays.For2026To2030.Holidays;

        Assert.Equal(45, holidays.Count);
        Assert.All(holidays, h => Assert.DoesNotContain(h.Date.DayOfWeek, new[] { DayOfWeek.Saturday, DayOfWeek.Sunday }));
        Assert.Equal(new DateOnly(2026, 1, 1), holidays[0].Date);
        Assert.Equal(new DateOnly(2030, 12, 26), holidays[^1].Date);
    }

    [Fact]
    public void ForYears_LastBeforeFirst_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ScottishBankHolidays.ForYears(2030, 2026));
    }
}
