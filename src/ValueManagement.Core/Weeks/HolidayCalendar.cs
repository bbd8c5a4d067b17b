namespace ValueManagement.Core.Weeks;

public sealed record Holiday(DateOnly Date, string Name);

/// <summary>Working days for scheduling: Monday to Friday, except the listed public holidays.</summary>
public sealed class HolidayCalendar
{
    private readonly Dictionary<DateOnly, Holiday> _byDate;

    /// <exception cref="ArgumentException">Two holidays share a date.</exception>
    public HolidayCalendar(IEnumerable<Holiday> holidays)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        _byDate = [];
        foreach (var holiday in holidays)
        {
            if (!_byDate.TryAdd(holiday.Date, holiday))
                throw new ArgumentException($"Two holidays on {holiday.Date:yyyy-MM-dd}: '{_byDate[holiday.Date].Name}' and '{holiday.Name}'.", nameof(holidays));
        }
        Holidays = [.. _byDate.Values.OrderBy(h => h.Date)];
    }

    public HolidayCalendar(IEnumerable<DateOnly> dates)
        : this(dates.Select(date => new Holiday(date, "Public holiday")))
    {
    }

    /// <summary>No holidays: every Monday to Friday is a working day.</summary>
    public static HolidayCalendar None { get; } = new(Array.Empty<Holiday>());

    /// <summary>In date order.</summary>
    public IReadOnlyList<Holiday> Holidays { get; }

    public bool IsHoliday(DateOnly date) => _byDate.ContainsKey(date);

    /// <summary>The holiday on <paramref name="date"/>, so a card can say why nothing happened; null on other days.</summary>
    public Holiday? HolidayOn(DateOnly date) => _byDate.GetValueOrDefault(date);

    public bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(date);

    /// <summary>The first working day strictly after <paramref name="date"/>.</summary>
    public DateOnly NextWorkingDay(DateOnly date) => WorkingDayOnOrAfter(date.AddDays(1));

    /// <summary>
    /// <paramref name="date"/> itself when it is a working day, otherwise the next one: where a prompt,
    /// reminder or deadline that falls on a holiday moves to.
    /// </summary>
    public DateOnly WorkingDayOnOrAfter(DateOnly date)
    {
        while (!IsWorkingDay(date)) date = date.AddDays(1);
        return date;
    }

    public HolidayCalendar With(IEnumerable<Holiday> more) => new(Holidays.Concat(more));
}
