namespace ValueManagement.Core.Weeks;

/// <summary>
/// A team's wall clock: converts between UTC instants and the team's local dates and times, and
/// tells which ISO week it is for the team.
/// </summary>
public sealed class TeamClock
{
    public const string DefaultTimeZoneId = "Europe/London";

    public TeamClock(TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        TimeZone = timeZone;
    }

    // Lazy, so a host without the time zone database fails where the default is used, not on any use of the type.
    private static readonly Lazy<TeamClock> DefaultClock = new(() => FromTimeZoneId(DefaultTimeZoneId));

    /// <summary>The clock for <see cref="DefaultTimeZoneId"/> (UK time: GMT in winter, BST in summer).</summary>
    public static TeamClock Default => DefaultClock.Value;

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Resolves an IANA time zone id such as <c>Europe/London</c>.</summary>
    /// <exception cref="ArgumentException">The id is blank or not a time zone known to this system.</exception>
    public static TeamClock FromTimeZoneId(string timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
            throw new ArgumentException("A time zone id is needed, such as Europe/London.", nameof(timeZoneId));
        try
        {
            return new TeamClock(TimeZoneInfo.FindSystemTimeZoneById(timeZoneId));
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"'{timeZoneId}' is not a known time zone: use an IANA id such as Europe/London.", nameof(timeZoneId), e);
        }
    }

    /// <summary>The team's local date and time at <paramref name="utcNow"/>, with the local UTC offset.</summary>
    public DateTimeOffset LocalDateTime(DateTimeOffset utcNow) => TimeZoneInfo.ConvertTime(utcNow, TimeZone);

    public DateOnly LocalDate(DateTimeOffset utcNow) => DateOnly.FromDateTime(LocalDateTime(utcNow).DateTime);

    /// <summary>The week the team is in now (not yet over).</summary>
    public IsoWeek CurrentWeek(DateTimeOffset utcNow) => IsoWeek.FromDate(LocalDate(utcNow));

    /// <summary>The week that ended most recently: the week the Monday prompt asks for.</summary>
    public IsoWeek LastCompletedWeek(DateTimeOffset utcNow) => CurrentWeek(utcNow).Previous();

    /// <summary>
    /// The UTC instant at which the team's wall clock shows <paramref name="localDate"/> <paramref name="localTime"/>.
    /// </summary>
    /// <remarks>
    /// Around clock changes a wall-clock time can be missing or happen twice. The scheduler relies on
    /// the following so that a weekly job is never skipped and never fires twice:
    /// <list type="bullet">
    /// <item>A time in the spring-forward gap (in the UK, 01:00–01:59 on the last Sunday of March) does
    /// not exist; it maps to the first instant after the gap (02:00 BST, which is 01:00 UTC).</item>
    /// <item>A time in the autumn overlap (in the UK, 01:00–01:59 on the last Sunday of October) happens
    /// twice; it maps to the FIRST occurrence (while BST still applies), never to the second.</item>
    /// </list>
    /// </remarks>
    public DateTimeOffset ToUtc(DateOnly localDate, TimeOnly localTime)
    {
        var local = localDate.ToDateTime(localTime, DateTimeKind.Unspecified);

        if (TimeZone.IsInvalidTime(local))
            return FirstInstantAfterGap(local);

        // The larger offset belongs to the earlier of the two instants.
        var offset = TimeZone.IsAmbiguousTime(local)
            ? TimeZone.GetAmbiguousTimeOffsets(local).Max()
            : TimeZone.GetUtcOffset(local);
        return Utc(local - offset);
    }

    /// <summary>
    /// The instant the clocks go forward: the smallest instant whose local time is later than the
    /// missing <paramref name="localInGap"/>. Found by bisection, because the rule that made the gap
    /// is not exposed in a usable form; a gap is shorter than a day, so the change lies within a day
    /// either side of the wall-clock time read as UTC.
    /// </summary>
    private DateTimeOffset FirstInstantAfterGap(DateTime localInGap)
    {
        var before = Utc(localInGap).AddDays(-1);
        var after = Utc(localInGap).AddDays(1);
        while (after.UtcTicks - before.UtcTicks > 1)
        {
            var middle = new DateTimeOffset(before.UtcTicks + (after.UtcTicks - before.UtcTicks) / 2, TimeSpan.Zero);
            if (LocalWallClock(middle) > localInGap) after = middle;
            else before = middle;
        }
        return after;
    }

    private DateTime LocalWallClock(DateTimeOffset instant) => instant.UtcDateTime + TimeZone.GetUtcOffset(instant);

    private static DateTimeOffset Utc(DateTime wallClock) => new(DateTime.SpecifyKind(wallClock, DateTimeKind.Utc));

    public override string ToString() => TimeZone.Id;
}
