using System.Text.Json;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.Weeks;

public class WeekJsonConvertersTests
{
    private sealed record Schedule(IsoWeek From, WeeklyTime Prompt, IsoWeek? Until);

    [Fact]
    public void Serialize_WritesLabels()
    {
        var json = JsonSerializer.Serialize(new Schedule(IsoWeek.Parse("2026-W53"), WeeklyTime.Parse("mon 09:00"), null));

        Assert.Equal("""{"From":"2026-W53","Prompt":"Monday 09:00","Until":null}""", json);
    }

    [Fact]
    public void Deserialize_ReadsLabelsBack()
    {
        var schedule = JsonSerializer.Deserialize<Schedule>("""{"From":"2027-W01","Prompt":"tue 12:00","Until":"2027-W10"}""");

        Assert.Equal(new Schedule(IsoWeek.Parse("2027-W01"), new WeeklyTime(DayOfWeek.Tuesday, new TimeOnly(12, 0)), IsoWeek.Parse("2027-W10")), schedule);
    }

    [Theory]
    [InlineData("""{"From":"2021-W53","Prompt":"mon 09:00"}""", "'2021-W53' does not exist: 2021 has 52 weeks.")]
    [InlineData("""{"From":202648,"Prompt":"mon 09:00"}""", "A week must be a string such as \"2026-W48\", not Number.")]
    [InlineData("""{"From":"2026-W48","Prompt":"mon 25:00"}""", "'25:00' is not a time of day: use the 24-hour clock, from 00:00 to 23:59 (for example 09:00 or 14:30).")]
    public void Deserialize_Invalid_ThrowsWithTheParseMessage(string json, string message)
    {
        var exception = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Schedule>(json));

        Assert.StartsWith(message, exception.Message);
    }
}
