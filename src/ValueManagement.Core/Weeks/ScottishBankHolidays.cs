namespace ValueManagement.Core.Weeks;

/// <summary>
/// Bank holidays in Scotland, computed from the rules: New Year's Day and 2 January, Good Friday,
/// Early May (first Monday in May), Spring (last Monday in May), Summer (first Monday in August),
/// St Andrew's Day (30 November) and Christmas and Boxing Day. A holiday on a weekend, or on a day
/// already taken by the holiday before it, moves to the next free weekday as a substitute day.
/// </summary>
/// <remarks>
/// One-off changes by royal proclamation (such as the moved May holidays of 2020 and 2022) are not
/// rules; add them to a calendar with <see cref="HolidayCalendar.With"/> when announced.
/// </remarks>
public static class ScottishBankHolidays
{
    public static HolidayCalendar For2026To2030 { get; } = ForYears(2026, 2030);

    public static HolidayCalendar ForYears(int firstYear, int lastYear)
    {
        if (lastYear < firstYear)
            throw new ArgumentOutOfRangeException(nameof(lastYear), lastYear, "The last year must not be before the first.");
        return new HolidayCalendar(Enumerable.Range(firstYear, lastYear - firstYear + 1).SelectMany(ForYear));
    }

    public static IReadOnlyList<Holiday> ForYear(int year)
    {
        var holidays = new List<Holiday>();
        AddObserved(holidays, new DateOnly(year, 1, 1), "New Year's Day");
        AddObserved(holidays, new DateOnly(year, 1, 2), "2 January");
        holidays.Add(new Holiday(Easter.Sunday(year).AddDays(-2), "Good Friday"));
        holidays.Add(new Holiday(FirstMonday(year, 5), "Early May bank holiday"));
        holidays.Add(new Holiday(LastMonday(year, 5), "Spring bank holiday"));
        holidays.Add(new Holiday(FirstMonday(year, 8), "Summer bank holiday"));
        AddObserved(holidays, new DateOnly(year, 11, 30), "St Andrew's Day");
        AddObserved(holidays, new DateOnly(year, 12, 25), "Christmas Day");
        AddObserved(holidays, new DateOnly(year, 12, 26), "Boxing Day");
        return holidays;
    }

    private static void AddObserved(List<Holiday> holidays, DateOnly date, string name)
    {
        var observed = date;
        while (observed.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || holidays.Any(h => h.Date == observed))
            observed = observed.AddDays(1);
        holidays.Add(new Holiday(observed, observed == date ? name : $"{name} (substitute day)"));
    }

    private static DateOnly FirstMonday(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays(((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7);
    }

    private static DateOnly LastMonday(int year, int month)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)DayOfWeek.Monday + 7) % 7));
    }
}
