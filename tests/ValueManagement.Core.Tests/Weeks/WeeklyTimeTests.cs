using System.Globalization;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.Weeks;

public class WeeklyTimeTests
{
    private static readonly TeamClock London = TeamClock.Default;

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("mon 09:00", DayOfWeek.Monday, 9, 0)]
    [InlineData("Tuesday 10:00", DayOfWeek.Tuesday, 10, 0)]
    [InlineData("TUES 12:00", DayOfWeek.Tuesday, 12, 0)]
    [InlineData("thu 14:30", DayOfWeek.Thursday, 14, 30)]
    [InlineData("Thurs 14:30", DayOfWeek.Thursday, 14, 30)]
    [InlineData("wednesday 9:05", DayOfWeek.Wednesday, 9, 5)]
    [InlineData("  fri   16:00 ", DayOfWeek.Friday, 16, 0)]
    [InlineData("sat 00:00", DayOfWeek.Saturday, 0, 0)]
    [InlineData("SUN 23:59", DayOfWeek.Sunday, 23, 59)]
    public void Parse_DayAndTime_CaseInsensitive(string text, DayOfWeek day, int hour, int minute)
    {
        Assert.Equal(new WeeklyTime(day, new TimeOnly(hour, minute)), WeeklyTime.Parse(text));
    }

    [Theory]
    [InlineData("mon 25:00", "'25:00' is not a time of day: use the 24-hour clock, from 00:00 to 23:59 (for example 09:00 or 14:30).")]
    [InlineData("mon 24:00", "'24:00' is not a time of day: use the 24-hour clock, from 00:00 to 23:59 (for example 09:00 or 14:30).")]
    [InlineData("mon 09:60", "'09:60' is not a time of day: use the 24-hour clock, from 00:00 to 23:59 (for example 09:00 or 14:30).")]
    [InlineData("mon 9", "'9' is not a time of day: use the 24-hour clock, from 00:00 to 23:59 (for example 09:00 or 14:30).")]
    [InlineData("mon 09.00", "'09.00' is not a time of day: use the 24-hour clock, from 00:00 to 23:59 (for example 09:00 or 14:30).")]
    [InlineData("mon 009:00", "'009:00' is not a time of day: use the 24-hour clock, from 00:00 to 23:59 (for example 09:00 or 14:30).")]
    [InlineData("mon 09:0", "'09:0' is not a time of day: use the 24-hour clock, from 00:00 to 23:59 (for example 09:00 or 14:30).")]
    [InlineData("mon -1:00", "'-1:00' is not a time of day: use the 24-hour clock, from 00:00 to 23:59 (for example 09:00 or 14:30).")]
    [InlineData("mon 9am", "'9am' is not a time of day: use the 24-hour clock, from 00:00 to 23:59 (for example 09:00 or 14:30).")]
    [InlineData("funday 09:00", "'funday' is not a day of the week: use Monday to Sunday, or mon, tue, wed, thu, fri, sat, sun.")]
    [InlineData("mo 09:00", "'mo' is not a day of the week: use Monday to Sunday, or mon, tue, wed, thu, fri, sat, sun.")]
    [InlineData("mon", "'mon' is not a day and time: write it like 'mon 09:00' or 'Tuesday 10:00'.")]
    [InlineData("mon 09:00 weekly", "'mon 09:00 weekly' is not a day and time: write it like 'mon 09:00' or 'Tuesday 10:00'.")]
    [InlineData("", "'' is not a day and time: write it like 'mon 09:00' or 'Tuesday 10:00'.")]
    public void TryParse_Invalid_GivesAClearMessage(string text, string message)
    {
        Assert.False(WeeklyTime.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatException()
    {
        var exception = Assert.Throws<FormatException>(() => WeeklyTime.Parse("mon 25:00"));
        Assert.StartsWith("'25:00' is not a time of day", exception.Message);
    }

    [Fact]
    public void ToString_RoundTrips()
    {
        var value = new WeeklyTime(DayOfWeek.Thursday, new TimeOnly(14, 0));

        Assert.Equal("Thursday 14:00", value.ToString());
        Assert.Equal(value, WeeklyTime.Parse(value.ToString()));
    }

    [Theory]
    [InlineData("mon 09:00", "2026-11-29T12:00:00", "2026-11-30T09:00:00")] // Sunday → Monday
    [InlineData("mon 09:00", "2026-11-30T08:59:59", "2026-11-30T09:00:00")] // same day, before
    [InlineData("mon 09:00", "2026-11-30T09:00:00", "2026-12-07T09:00:00")] // strictly after: not the same instant
    [InlineData("mon 09:00", "2026-11-30T10:00:00", "2026-12-07T09:00:00")]
    [InlineData("tue 12:00", "2026-11-30T09:00:00", "2026-12-01T12:00:00")]
    [InlineData("mon 09:00", "2026-07-05T12:00:00", "2026-07-06T08:00:00")] // BST
    [InlineData("mon 00:30", "2026-07-05T23:00:00", "2026-07-05T23:30:00")] // Monday 00:30 BST is Sunday in UTC
    public void NextOccurrence_OrdinaryWeeks(string weekly, string after, string expected)
    {
        Assert.Equal(Utc(expected), WeeklyTime.Parse(weekly).NextOccurrence(London, Utc(after)));
    }

    [Fact]
    public void NextOccurrence_AcrossSpringChange_KeepsLocalTime()
    {
        var monday9 = WeeklyTime.Parse("mon 09:00");

        Assert.Equal(Utc("2026-03-30T08:00:00"), monday9.NextOccurrence(London, Utc("2026-03-23T09:00:00")));
    }

    [Fact]
    public void NextOccurrence_AcrossAutumnChange_KeepsLocalTime()
    {
        var monday9 = WeeklyTime.Parse("mon 09:00");

        Assert.Equal(Utc("2026-10-26T09:00:00"), monday9.NextOccurrence(London, Utc("2026-10-19T08:00:00")));
    }

    [Fact]
    public void NextOccurrence_TimeInSpringGap_RunsAtEndOfGapOnce()
    {
        var sunday0130 = WeeklyTime.Parse("sun 01:30");

        var first = sunday0130.NextOccurrence(London, Utc("2026-03-28T12:00:00"));
        var second = sunday0130.NextOccurrence(London, first);

        Assert.Equal(Utc("2026-03-29T01:00:00"), first);
        Assert.Equal(Utc("2026-04-05T00:30:00"), second);
    }

    [Fact]
    public void NextOccurrence_AmbiguousAutumnTime_RunsAtFirstOccurrenceOnly()
    {
        var sunday0130 = WeeklyTime.Parse("sun 01:30");

        var first = sunday0130.NextOccurrence(London, Utc("2026-10-24T12:00:00"));
        var second = sunday0130.NextOccurrence(London, first);

        Assert.Equal(Utc("2026-10-25T00:30:00"), first);
        Assert.Equal(Utc("2026-11-01T01:30:00"), second);
    }

    [Theory]
    [InlineData("mon 09:00")]
    [InlineData("sun 00:59")]
    [InlineData("sun 01:00")]
    [InlineData("sun 01:30")]
    [InlineData("sun 01:59")]
    [InlineData("sun 02:00")]
    [InlineData("sat 23:30")]
    [InlineData("thu 14:00")]
    public void NextOccurrence_ChainedThroughAYear_FiresOnceEveryWeek(string weekly)
    {
        var time = WeeklyTime.Parse(weekly);
        var run = time.NextOccurrence(London, Utc("2025-12-31T00:00:00"));
        var previousDate = London.LocalDate(run);
        var runs = 1;

        while (run < Utc("2027-01-10T00:00:00"))
        {
            var next = time.NextOccurrence(London, run);
            var date = London.LocalDate(next);

            Assert.True(next > run);
            Assert.Equal(time.Day, date.DayOfWeek);
            Assert.Equal(7, date.DayNumber - previousDate.DayNumber);

            run = next;
            previousDate = date;
            runs++;
        }

        Assert.True(runs > 53, $"only {runs} runs");
    }
}
