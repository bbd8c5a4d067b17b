using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;

namespace ValueManagement.Core.Weeks;

/// <summary>
/// An ISO 8601 week (Monday to Sunday), written <c>2026-W48</c>. The year is the ISO week-numbering
/// year, which differs from the calendar year around New Year: 2027-01-01 is in 2026-W53.
/// </summary>
[JsonConverter(typeof(IsoWeekJsonConverter))]
public readonly record struct IsoWeek : IComparable<IsoWeek>, IParsable<IsoWeek>
{
    public IsoWeek(int year, int week)
    {
        if (year is < 1 or > 9999)
            throw new ArgumentOutOfRangeException(nameof(year), year, "The year must be between 1 and 9999.");
        var weeksInYear = WeeksInYear(year);
        if (week < 1 || week > weeksInYear)
            throw new ArgumentOutOfRangeException(nameof(week), week, $"{year} has weeks 1 to {weeksInYear}.");
        Year = year;
        Week = week;
    }

    public int Year { get; }
    public int Week { get; }

    public DateOnly Monday => DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday));
    public DateOnly Sunday => Monday.AddDays(6);

    public static int WeeksInYear(int year) => ISOWeek.GetWeeksInYear(year);

    public static IsoWeek FromDate(DateOnly date)
    {
        var dateTime = date.ToDateTime(TimeOnly.MinValue);
        return new IsoWeek(ISOWeek.GetYear(dateTime), ISOWeek.GetWeekOfYear(dateTime));
    }

    public bool Contains(DateOnly date) => date >= Monday && date <= Sunday;

    public IsoWeek Next() => AddWeeks(1);
    public IsoWeek Previous() => AddWeeks(-1);
    public IsoWeek AddWeeks(int weeks) => FromDate(Monday.AddDays(checked(weeks * 7)));

    /// <summary>How many weeks this week is after <paramref name="earlier"/> (negative when it is before).</summary>
    public int WeeksSince(IsoWeek earlier) => (Monday.DayNumber - earlier.Monday.DayNumber) / 7;

    public int CompareTo(IsoWeek other) => Year != other.Year ? Year.CompareTo(other.Year) : Week.CompareTo(other.Week);

    public static bool operator <(IsoWeek left, IsoWeek right) => left.CompareTo(right) < 0;
    public static bool operator >(IsoWeek left, IsoWeek right) => left.CompareTo(right) > 0;
    public static bool operator <=(IsoWeek left, IsoWeek right) => left.CompareTo(right) <= 0;
    public static bool operator >=(IsoWeek left, IsoWeek right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-W{Week:D2}");

    /// <summary>The years a week may be in when it arrives from a person, a card or a file (<see cref="TryParse(string?, out IsoWeek, out string?)"/>).</summary>
    public const int FirstSupportedYear = 2000;
    public const int LastSupportedYear = 2099;

    public static IsoWeek Parse(string text) =>
        TryParse(text, out var week, out var error) ? week : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? text, out IsoWeek week) => TryParse(text, out week, out _);

    /// <summary>
    /// Accepts exactly <c>yyyy-Www</c> (four-digit year, hyphen, W or w, two-digit week): no spaces,
    /// no short forms such as <c>2026-W5</c> or <c>2026W05</c>, no day suffix; and only weeks of the years
    /// <see cref="FirstSupportedYear"/> to <see cref="LastSupportedYear"/>, so that the weeks around one
    /// (its history, its limits, the weeks after it) can always be worked out.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out IsoWeek week, [NotNullWhen(false)] out string? error)
    {
        if (!TryParseAnyYear(text, out week, out error)) return false;
        if (week.Year is >= FirstSupportedYear and <= LastSupportedYear) return true;
        error = $"'{text}' is out of range: weeks from {FirstSupportedYear}-W01 to {LastSupportedYear}-W{WeeksInYear(LastSupportedYear):D2} only.";
        week = default;
        return false;
    }

    /// <summary>A label this system wrote itself (a stored week), in any year the type holds.</summary>
    public static IsoWeek ParseStored(string text) =>
        TryParseAnyYear(text, out var week, out var error) ? week : throw new FormatException(error);

    private static bool TryParseAnyYear([NotNullWhen(true)] string? text, out IsoWeek week, [NotNullWhen(false)] out string? error)
    {
        week = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "A week is needed, written like 2026-W48.";
            return false;
        }

        if (!LooksLikeWeek(text))
        {
            error = $"'{text}' is not a week: write it like 2026-W48 (year, W, two-digit week number).";
            return false;
        }

        var year = int.Parse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture);
        var number = int.Parse(text.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        if (year < 1)
        {
            error = $"'{text}' is not a week: the year must be between 0001 and 9999.";
            return false;
        }

        var weeksInYear = WeeksInYear(year);
        if (number < 1 || number > weeksInYear)
        {
            error = number < 1
                ? $"'{text}' is not a week: weeks are numbered from 01."
                : $"'{text}' does not exist: {year} has {weeksInYear} weeks.";
            return false;
        }

        week = new IsoWeek(year, number);
        error = null;
        return true;
    }

    /// <summary>Whether the text is written as a week (<c>yyyy-Www</c>), whether or not that week exists or is in range: a word meant as a week.</summary>
    public static bool LooksLikeWeek([NotNullWhen(true)] string? text) =>
        text is { Length: 8 } && text[4] == '-' && text[5] is ('W' or 'w') && AllDigits(text.AsSpan(0, 4)) && AllDigits(text.AsSpan(6, 2));

    static IsoWeek IParsable<IsoWeek>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<IsoWeek>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out IsoWeek result) =>
        TryParse(s, out result);

    private static bool AllDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (!char.IsAsciiDigit(c)) return false;
        return true;
    }
}
