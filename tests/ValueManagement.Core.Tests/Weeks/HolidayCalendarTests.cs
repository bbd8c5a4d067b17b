using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.Weeks;

public class HolidayCalendarTests
{
    private static readonly HolidayCalendar Scotland = ScottishBankHolidays.For2026To2030;

    [Theory]
    [InlineData("2026-12-01", true)]   // Tuesday
    [InlineData("2026-12-05", false)]  // Saturday
    [InlineData("2026-12-06", false)]  // Sunday
    [InlineData("2026-11-30", false)]  // St Andrew's Day, a Monday
    [InlineData("2026-12-28", false)]  // Boxing Day substitute
    [InlineData("2026-04-06", true)]   // Easter Monday is not a bank holiday in Scotland
    public void IsWorkingDay_WeekdaysThatAreNotHolidays(string date, bool working)
    {
        Assert.Equal(working, Scotland.IsWorkingDay(DateOnly.Parse(date)));
    }

    [Theory]
    [InlineData("2026-12-04", "2026-12-07")] // Friday → Monday
    [InlineData("2026-05-01", "2026-05-05")] // Friday before the Early May Monday → Tuesday
    [InlineData("2026-12-24", "2026-12-29")] // Christmas Friday, Boxing Day substitute Monday
    [InlineData("2027-12-24", "2027-12-29")] // both Christmas holidays substituted to Monday and Tuesday
    [InlineData("2026-12-01", "2026-12-02")]
    public void NextWorkingDay_IsStrictlyAfter(string date, string next)
    {
        Assert.Equal(DateOnly.Parse(next), Scotland.NextWorkingDay(DateOnly.Parse(date)));
    }

    [Theory]
    [InlineData("2026-12-01", "2026-12-01")] // already a working day
    [InlineData("2026-05-04", "2026-05-05")] // prompt day is the Early May holiday
    [InlineData("2026-11-30", "2026-12-01")] // St Andrew's Day
    [InlineData("2028-01-03", "2028-01-05")] // New Year and 2 January substitutes on Monday and Tuesday
    [InlineData("2026-12-05", "2026-12-07")] // Saturday
    public void WorkingDayOnOrAfter_MovesOnlyOffHolidaysAndWeekends(string date, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected), Scotland.WorkingDayOnOrAfter(DateOnly.Parse(date)));
    }

    [Fact]
    public void HolidayOn_NamesTheHoliday()
    {
        Assert.Equal("St Andrew's Day", Scotland.HolidayOn(new DateOnly(2026, 11, 30))?.Name);
        Assert.Equal("Boxing Day (substitute day)", Scotland.HolidayOn(new DateOnly(2026, 12, 28))?.Name);
        Assert.Null(Scotland.HolidayOn(new DateOnly(2026, 12, 1)));
    }

    [Fact]
    public void None_HasOnlyWeekends()
    {
        Assert.True(HolidayCalendar.None.IsWorkingDay(new DateOnly(2026, 12, 25)));
        Assert.False(HolidayCalendar.None.IsWorkingDay(new DateOnly(2026, 12, 26)));
        Assert.Empty(HolidayCalendar.None.Holidays);
    }

    [Fact]
    public void Constructor_FromDates_NamesThemPublicHolidays()
    {
        var calendar = new HolidayCalendar([new DateOnly(2026, 7, 13)]);

        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 7, 13)));
        Assert.Equal("Public holiday", calendar.HolidayOn(new DateOnly(2026, 7, 13))?.Name);
    }

    [Fact]
    public void Constructor_TwoHolidaysOnOneDate_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new HolidayCalendar(
        [
            new Holiday(new DateOnly(2026, 7, 13), "Local holiday"),
            new Holiday(new DateOnly(2026, 7, 13), "Fair Monday"),
        ]));

        Assert.StartsWith("Two holidays on 2026-07-13: 'Local holiday' and 'Fair Monday'.", exception.Message);
    }

    [Fact]
    public void Holidays_AreInDateOrder()
    {
        var calendar = new HolidayCalendar([new DateOnly(2026, 9, 1), new DateOnly(2026, 1, 5)]);

        Assert.Equal([new DateOnly(2026, 1, 5), new DateOnly(2026, 9, 1)], calendar.Holidays.Select(h => h.Date).ToArray());
    }

    [Fact]
    public void With_AddsLocalHolidays()
    {
        var withFair = Scotland.With([new Holiday(new DateOnly(2026, 7, 20), "Glasgow Fair")]);

        Assert.False(withFair.IsWorkingDay(new DateOnly(2026, 7, 20)));
        Assert.True(Scotland.IsWorkingDay(new DateOnly(2026, 7, 20)));
    }
}
