using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.Weeks;

public class IsoWeekTests
{
    [Theory]
    [InlineData("2026-W48", 2026, 48)]
    [InlineData("2026-W01", 2026, 1)]
    [InlineData("2026-W53", 2026, 53)]
    [InlineData("2020-W53", 2020, 53)]
    [InlineData("2026-w07", 2026, 7)]
    [InlineData("2000-W01", 2000, 1)]
    [InlineData("2099-W53", 2099, 53)]
    public void Parse_WellFormedWeek_ReturnsYearAndWeek(string text, int year, int week)
    {
        var parsed = IsoWeek.Parse(text);

        Assert.Equal(year, parsed.Year);
        Assert.Equal(week, parsed.Week);
    }

    [Theory]
    [InlineData("2026-W5")]
    [InlineData("2026W48")]
    [InlineData("26-W48")]
    [InlineData("2026-48")]
    [InlineData("2026-X48")]
    [InlineData(" 2026-W48")]
    [InlineData("2026-W48 ")]
    [InlineData("2026-W48-1")]
    [InlineData("2026-W4a")]
    [InlineData("２０２６-W48")]
    [InlineData("W48-2026")]
    public void TryParse_Malformed_FailsWithExample(string text)
    {
        Assert.False(IsoWeek.TryParse(text, out _, out var error));
        Assert.Equal($"'{text}' is not a week: write it like 2026-W48 (year, W, two-digit week number).", error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_Blank_AsksForAWeek(string? text)
    {
        Assert.False(IsoWeek.TryParse(text, out _, out var error));
        Assert.Equal("A week is needed, written like 2026-W48.", error);
    }

    [Theory]
    [InlineData("2021-W53", "'2021-W53' does not exist: 2021 has 52 weeks.")]
    [InlineData("2026-W54", "'2026-W54' does not exist: 2026 has 53 weeks.")]
    [InlineData("2027-W99", "'2027-W99' does not exist: 2027 has 52 weeks.")]
    [InlineData("2026-W00", "'2026-W00' is not a week: weeks are numbered from 01.")]
    [InlineData("0000-W10", "'0000-W10' is not a week: the year must be between 0001 and 9999.")]
    [InlineData("0001-W01", "'0001-W01' is out of range: weeks from 2000-W01 to 2099-W53 only.")]
    [InlineData("1999-W52", "'1999-W52' is out of range: weeks from 2000-W01 to 2099-W53 only.")]
    [InlineData("9999-W52", "'9999-W52' is out of range: weeks from 2000-W01 to 2099-W53 only.")]
    public void TryParse_WeekThatDoesNotExist_SaysWhy(string text, string message)
    {
        Assert.False(IsoWeek.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("0001-W01", 1, 1)]
    [InlineData("9999-W52", 9999, 52)]
    public void ParseStored_ReadsAnyYearTheTypeHolds(string text, int year, int week)
    {
        Assert.Equal(new IsoWeek(year, week), IsoWeek.ParseStored(text));
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithTheMessage()
    {
        var exception = Assert.Throws<FormatException>(() => IsoWeek.Parse("2021-W53"));

        Assert.Equal("'2021-W53' does not exist: 2021 has 52 weeks.", exception.Message);
    }

    [Fact]
    public void TryParse_TwoArgumentForm_ReportsSuccessOnly()
    {
        Assert.True(IsoWeek.TryParse("2026-W48", out var week));
        Assert.Equal(new IsoWeek(2026, 48), week);
        Assert.False(IsoWeek.TryParse("nonsense", out week));
        Assert.Equal(default, week);
    }

    [Fact]
    public void Parse_ThroughIParsable_Works()
    {
        static T ParseAs<T>(string text) where T : IParsable<T> => T.Parse(text, null);

        Assert.Equal(new IsoWeek(2026, 48), ParseAs<IsoWeek>("2026-W48"));
    }

    [Theory]
    [InlineData(2026, 1, "2026-W01")]
    [InlineData(2026, 48, "2026-W48")]
    [InlineData(999, 52, "0999-W52")]
    public void ToString_PadsYearAndWeek(int year, int week, string expected)
    {
        Assert.Equal(expected, new IsoWeek(year, week).ToString());
    }

    [Fact]
    public void ToString_RoundTripsThroughParse_ForEveryWeekOf2020To2028()
    {
        for (var week = new IsoWeek(2020, 1); week <= new IsoWeek(2028, 52); week = week.Next())
            Assert.Equal(week, IsoWeek.Parse(week.ToString()));
    }

    [Theory]
    [InlineData(2021, 53)]
    [InlineData(2026, 0)]
    [InlineData(2026, 54)]
    [InlineData(0, 1)]
    [InlineData(10000, 1)]
    public void Constructor_WeekOutsideYear_Throws(int year, int week)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new IsoWeek(year, week));
    }

    [Theory]
    [InlineData(2020, 53)]
    [InlineData(2021, 52)]
    [InlineData(2026, 53)]
    [InlineData(2027, 52)]
    [InlineData(2032, 53)]
    public void WeeksInYear_KnownYears(int year, int weeks)
    {
        Assert.Equal(weeks, IsoWeek.WeeksInYear(year));
    }

    [Theory]
    [InlineData("2026-W48", "2026-11-23", "2026-11-29")]
    [InlineData("2026-W01", "2025-12-29", "2026-01-04")]
    [InlineData("2026-W13", "2026-03-23", "2026-03-29")]
    [InlineData("2026-W43", "2026-10-19", "2026-10-25")]
    [InlineData("2026-W53", "2026-12-28", "2027-01-03")]
    [InlineData("2027-W01", "2027-01-04", "2027-01-10")]
    [InlineData("2020-W53", "2020-12-28", "2021-01-03")]
    [InlineData("2021-W01", "2021-01-04", "2021-01-10")]
    public void MondayAndSunday_AreTheWeeksEnds(string week, string monday, string sunday)
    {
        var parsed = IsoWeek.Parse(week);

        Assert.Equal(DateOnly.Parse(monday), parsed.Monday);
        Assert.Equal(DateOnly.Parse(sunday), parsed.Sunday);
        Assert.Equal(DayOfWeek.Monday, parsed.Monday.DayOfWeek);
        Assert.Equal(DayOfWeek.Sunday, parsed.Sunday.DayOfWeek);
    }

    [Theory]
    [InlineData("2027-01-01", "2026-W53")]
    [InlineData("2027-01-03", "2026-W53")]
    [InlineData("2027-01-04", "2027-W01")]
    [InlineData("2025-12-29", "2026-W01")]
    [InlineData("2021-01-03", "2020-W53")]
    [InlineData("2021-12-31", "2021-W52")]
    [InlineData("2026-03-29", "2026-W13")]
    [InlineData("2026-10-25", "2026-W43")]
    public void FromDate_UsesTheIsoWeekYear(string date, string week)
    {
        Assert.Equal(IsoWeek.Parse(week), IsoWeek.FromDate(DateOnly.Parse(date)));
    }

    [Theory]
    [InlineData("2026-W52", "2026-W53")]
    [InlineData("2026-W53", "2027-W01")]
    [InlineData("2020-W53", "2021-W01")]
    [InlineData("2021-W52", "2022-W01")]
    [InlineData("2026-W13", "2026-W14")]
    [InlineData("2026-W43", "2026-W44")]
    public void NextAndPrevious_CrossYearEnds(string week, string next)
    {
        Assert.Equal(IsoWeek.Parse(next), IsoWeek.Parse(week).Next());
        Assert.Equal(IsoWeek.Parse(week), IsoWeek.Parse(next).Previous());
    }

    [Theory]
    [InlineData("2026-W48", 0, "2026-W48")]
    [InlineData("2026-W48", 6, "2027-W01")]
    [InlineData("2027-W01", -52, "2026-W02")]
    [InlineData("2027-W01", -53, "2026-W01")]
    [InlineData("2020-W50", 56, "2022-W01")]
    public void AddWeeks_CountsWeeksNotCalendarYears(string week, int weeks, string expected)
    {
        Assert.Equal(IsoWeek.Parse(expected), IsoWeek.Parse(week).AddWeeks(weeks));
    }

    [Fact]
    public void WeeksSince_IsSignedDistance()
    {
        var earlier = IsoWeek.Parse("2026-W48");
        var later = IsoWeek.Parse("2027-W01");

        Assert.Equal(6, later.WeeksSince(earlier));
        Assert.Equal(-6, earlier.WeeksSince(later));
        Assert.Equal(0, later.WeeksSince(later));
    }

    [Fact]
    public void ComparisonOperators_OrderByYearThenWeek()
    {
        var w53 = IsoWeek.Parse("2026-W53");
        var nextYear = IsoWeek.Parse("2027-W01");

        Assert.True(w53 < nextYear);
        Assert.True(w53 <= nextYear);
        Assert.True(nextYear > w53);
        Assert.True(nextYear >= w53);
        Assert.True(w53 <= IsoWeek.Parse("2026-W53"));
        Assert.False(w53 > nextYear);
        Assert.Equal(
            new[] { "2020-W53", "2026-W02", "2026-W10", "2027-W01" },
            new[] { "2027-W01", "2026-W10", "2020-W53", "2026-W02" }.Select(IsoWeek.Parse).Order().Select(w => w.ToString()));
    }

    [Fact]
    public void Contains_MondayToSundayOnly()
    {
        var week = IsoWeek.Parse("2026-W53");

        Assert.True(week.Contains(new DateOnly(2026, 12, 28)));
        Assert.True(week.Contains(new DateOnly(2027, 1, 3)));
        Assert.False(week.Contains(new DateOnly(2026, 12, 27)));
        Assert.False(week.Contains(new DateOnly(2027, 1, 4)));
    }
}
