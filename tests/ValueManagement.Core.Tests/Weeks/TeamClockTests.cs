using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.Weeks;

public class TeamClockTests
{
    private static readonly TeamClock London = TeamClock.Default;

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text + "Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Default_IsEuropeLondon()
    {
        Assert.Equal("Europe/London", TeamClock.Default.TimeZone.Id);
    }

    [Fact]
    public void FromTimeZoneId_Unknown_ThrowsWithClearMessage()
    {
        var exception = Assert.Throws<ArgumentException>(() => TeamClock.FromTimeZoneId("Mars/Olympus_Mons"));

        Assert.StartsWith("'Mars/Olympus_Mons' is not a known time zone: use an IANA id such as Europe/London.", exception.Message);
    }

    [Fact]
    public void FromTimeZoneId_Blank_Throws()
    {
        Assert.Throws<ArgumentException>(() => TeamClock.FromTimeZoneId(" "));
    }

    [Theory]
    [InlineData("2026-07-01T12:00:00", "2026-07-01T13:00:00", 1)]
    [InlineData("2026-12-01T12:00:00", "2026-12-01T12:00:00", 0)]
    [InlineData("2026-03-29T00:59:59", "2026-03-29T00:59:59", 0)]
    [InlineData("2026-03-29T01:00:00", "2026-03-29T02:00:00", 1)]
    [InlineData("2026-10-25T00:30:00", "2026-10-25T01:30:00", 1)]
    [InlineData("2026-10-25T01:30:00", "2026-10-25T01:30:00", 0)]
    public void LocalDateTime_FollowsBstAndGmt(string utc, string local, int offsetHours)
    {
        var result = London.LocalDateTime(Utc(utc));

        Assert.Equal(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), result.DateTime);
        Assert.Equal(TimeSpan.FromHours(offsetHours), result.Offset);
    }

    [Fact]
    public void LocalDate_AfterMidnightBst_IsTheNextDay()
    {
        Assert.Equal(new DateOnly(2026, 6, 29), London.LocalDate(Utc("2026-06-28T23:30:00")));
    }

    [Theory]
    // Summer: 23:30 UTC on Sunday is already Monday 00:30 BST.
    [InlineData("2026-06-28T22:59:59", "2026-W26", "2026-W25")]
    [InlineData("2026-06-28T23:00:00", "2026-W27", "2026-W26")]
    // Winter: midnight is midnight UTC.
    [InlineData("2026-11-29T23:59:59", "2026-W48", "2026-W47")]
    [InlineData("2026-11-30T00:00:00", "2026-W49", "2026-W48")]
    // The weeks containing the clock changes.
    [InlineData("2026-03-29T01:30:00", "2026-W13", "2026-W12")]
    [InlineData("2026-03-29T23:00:00", "2026-W14", "2026-W13")]
    [InlineData("2026-10-25T01:30:00", "2026-W43", "2026-W42")]
    [InlineData("2026-10-26T00:00:00", "2026-W44", "2026-W43")]
    // Year ends.
    [InlineData("2027-01-03T23:59:59", "2026-W53", "2026-W52")]
    [InlineData("2027-01-04T09:00:00", "2027-W01", "2026-W53")]
    [InlineData("2021-01-04T09:00:00", "2021-W01", "2020-W53")]
    [InlineData("2022-01-03T09:00:00", "2022-W01", "2021-W52")]
    public void CurrentAndLastCompletedWeek_UseTheLocalDate(string utc, string current, string lastCompleted)
    {
        Assert.Equal(IsoWeek.Parse(current), London.CurrentWeek(Utc(utc)));
        Assert.Equal(IsoWeek.Parse(lastCompleted), London.LastCompletedWeek(Utc(utc)));
    }

    [Theory]
    [InlineData("2026-12-07", "09:00", "2026-12-07T09:00:00")]
    [InlineData("2026-06-01", "09:00", "2026-06-01T08:00:00")]
    [InlineData("2026-06-01", "00:30", "2026-05-31T23:30:00")]
    public void ToUtc_OrdinaryTimes(string date, string time, string utc)
    {
        Assert.Equal(Utc(utc), London.ToUtc(DateOnly.Parse(date), TimeOnly.Parse(time)));
    }

    [Theory]
    [InlineData("00:59:59", "2026-03-29T00:59:59")]
    [InlineData("01:00", "2026-03-29T01:00:00")]
    [InlineData("01:30", "2026-03-29T01:00:00")]
    [InlineData("01:59:59", "2026-03-29T01:00:00")]
    [InlineData("02:00", "2026-03-29T01:00:00")]
    [InlineData("02:30", "2026-03-29T01:30:00")]
    public void ToUtc_SpringForwardGap_MapsToTheFirstInstantAfterTheGap(string time, string utc)
    {
        Assert.Equal(Utc(utc), London.ToUtc(new DateOnly(2026, 3, 29), TimeOnly.Parse(time)));
    }

    [Theory]
    [InlineData("00:59", "2026-10-24T23:59:00")]
    [InlineData("01:00", "2026-10-25T00:00:00")]
    [InlineData("01:30", "2026-10-25T00:30:00")]
    [InlineData("01:59:59", "2026-10-25T00:59:59")]
    [InlineData("02:00", "2026-10-25T02:00:00")]
    public void ToUtc_AutumnOverlap_MapsToTheFirstOccurrence(string time, string utc)
    {
        Assert.Equal(Utc(utc), London.ToUtc(new DateOnly(2026, 10, 25), TimeOnly.Parse(time)));
    }

    [Fact]
    public void ToUtc_OtherZones_GapAndOverlap()
    {
        var newYork = TeamClock.FromTimeZoneId("America/New_York");
        Assert.Equal(Utc("2026-03-08T07:00:00"), newYork.ToUtc(new DateOnly(2026, 3, 8), new TimeOnly(2, 30)));
        Assert.Equal(Utc("2026-11-01T05:30:00"), newYork.ToUtc(new DateOnly(2026, 11, 1), new TimeOnly(1, 30)));

        // Lord Howe Island moves its clocks by half an hour: 02:00 becomes 02:30.
        var lordHowe = TeamClock.FromTimeZoneId("Australia/Lord_Howe");
        Assert.Equal(Utc("2026-10-03T15:30:00"), lordHowe.ToUtc(new DateOnly(2026, 10, 4), new TimeOnly(2, 15)));
    }

    [Fact]
    public void ToUtc_RoundTripsThroughLocalDateTime_ExceptInTheGap()
    {
        foreach (var date in new[] { new DateOnly(2026, 3, 29), new DateOnly(2026, 10, 25), new DateOnly(2026, 12, 31) })
        {
            for (var minutes = 0; minutes < 24 * 60; minutes += 5)
            {
                var time = new TimeOnly(minutes / 60, minutes % 60);
                var local = London.LocalDateTime(London.ToUtc(date, time));
                var inGap = date.Month == 3 && time.Hour == 1;
                if (!inGap)
                    Assert.Equal(date.ToDateTime(time), local.DateTime);
                else
                    Assert.Equal(date.ToDateTime(new TimeOnly(2, 0)), local.DateTime);
            }
        }
    }
}
