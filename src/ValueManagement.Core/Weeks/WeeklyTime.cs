using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace ValueManagement.Core.Weeks;

/// <summary>A day of the week and a local time of day, such as the Monday 09:00 prompt.</summary>
[JsonConverter(typeof(WeeklyTimeJsonConverter))]
public readonly record struct WeeklyTime(DayOfWeek Day, TimeOnly Time)
{
    private static readonly Dictionary<string, DayOfWeek> DayNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mon"] = DayOfWeek.Monday, ["monday"] = DayOfWeek.Monday,
        ["tue"] = DayOfWeek.Tuesday, ["tues"] = DayOfWeek.Tuesday, ["tuesday"] = DayOfWeek.Tuesday,
        ["wed"] = DayOfWeek.Wednesday, ["wednesday"] = DayOfWeek.Wednesday,
        ["thu"] = DayOfWeek.Thursday, ["thur"] = DayOfWeek.Thursday, ["thurs"] = DayOfWeek.Thursday, ["thursday"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["friday"] = DayOfWeek.Friday,
        ["sat"] = DayOfWeek.Saturday, ["saturday"] = DayOfWeek.Saturday,
        ["sun"] = DayOfWeek.Sunday, ["sunday"] = DayOfWeek.Sunday,
    };

    /// <summary>Written as <c>Monday 09:00</c>, which <see cref="Parse"/> reads back.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Day} {Time.Hour:D2}:{Time.Minute:D2}");

    public static WeeklyTime Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>
    /// Reads a day name (full or short: <c>mon</c>, <c>tue</c>/<c>tues</c>, <c>thu</c>/<c>thur</c>/<c>thurs</c>, any case)
    /// and a 24-hour time <c>H:mm</c> or <c>HH:mm</c>, separated by white space.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out WeeklyTime value, [NotNullWhen(false)] out string? error)
    {
        value = default;
        var parts = (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            error = $"'{text}' is not a day and time: write it like 'mon 09:00' or 'Tuesday 10:00'.";
            return false;
        }

        if (!DayNames.TryGetValue(parts[0], out var day))
        {
            error = $"'{parts[0]}' is not a day of the week: use Monday to Sunday, or mon, tue, wed, thu, fri, sat, sun.";
            return false;
        }

        if (!TryParseTime(parts[1], out var time))
        {
            error = $"'{parts[1]}' is not a time of day: use the 24-hour clock, from 00:00 to 23:59 (for example 09:00 or 14:30).";
            return false;
        }

        value = new WeeklyTime(day, time);
        error = null;
        return true;
    }

    private static bool TryParseTime(string text, out TimeOnly time)
    {
        time = default;
        var colon = text.IndexOf(':');
        if (colon is < 1 or > 2 || text.Length - colon != 3) return false;
        foreach (var c in text.Remove(colon, 1))
            if (!char.IsAsciiDigit(c)) return false;

        var hour = int.Parse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture);
        var minute = int.Parse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        if (hour > 23 || minute > 59) return false;
        time = new TimeOnly(hour, minute);
        return true;
    }

    /// <summary>
    /// The UTC instant of the next local occurrence strictly after <paramref name="afterUtc"/>. Passing
    /// the instant a job last ran gives the following week's run: a time in the spring-forward gap runs
    /// at the end of the gap and an ambiguous autumn time runs once, at its first occurrence
    /// (see <see cref="TeamClock.ToUtc"/>).
    /// </summary>
    public DateTimeOffset NextOccurrence(TeamClock clock, DateTimeOffset afterUtc)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var date = clock.LocalDate(afterUtc);
        date = date.AddDays(((int)Day - (int)date.DayOfWeek + 7) % 7);
        // Today's occurrence may already have passed; next week's cannot have.
        for (var attempt = 0; attempt < 2; attempt++, date = date.AddDays(7))
        {
            var candidate = clock.ToUtc(date, Time);
            if (candidate > afterUtc) return candidate;
        }
        throw new InvalidOperationException($"No occurrence of {this} found after {afterUtc:O} in {clock}.");
    }
}
