using System.Globalization;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Submissions;

/// <summary>
/// Which weeks a team member may enter or change figures for: any week from the current one back
/// to <see cref="MaxWeeksBack"/> weeks before the last completed week. With the default of 4, when
/// the last completed week is 2026-W48, members may enter 2026-W44 to 2026-W49 (the current week is
/// not in the future, so it is open too). Coaches and admins may also enter older weeks. Nobody may
/// enter a week that has not started.
/// </summary>
public sealed record LateEntryPolicy
{
    public const int DefaultMaxWeeksBack = 4;

    public LateEntryPolicy(int maxWeeksBack = DefaultMaxWeeksBack)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxWeeksBack);
        MaxWeeksBack = maxWeeksBack;
    }

    public static LateEntryPolicy Default { get; } = new();

    public int MaxWeeksBack { get; }

    /// <summary>The oldest week members may still enter.</summary>
    public IsoWeek OldestOpenWeek(IsoWeek currentWeek) => currentWeek.Previous().AddWeeks(-MaxWeeksBack);

    /// <summary>Null when the caller may enter figures for <paramref name="week"/>; otherwise why not, in words for the caller.</summary>
    public string? Check(IsoWeek week, IsoWeek currentWeek, bool callerIsCoachOrAdmin)
    {
        if (week > currentWeek)
            return $"Week {week} has not started yet: it starts on {LongDate(week.Monday)}. You can enter figures for a week once it has started.";

        var lastCompleted = currentWeek.Previous();
        if (!callerIsCoachOrAdmin && week < OldestOpenWeek(currentWeek))
            return $"Week {week} is more than {MaxWeeksBack} {(MaxWeeksBack == 1 ? "week" : "weeks")} before the last completed week ({lastCompleted}), "
                + "so only an improvement coach or an admin can enter or change its figures. Please ask your coach.";

        return null;
    }

    /// <summary>As <see cref="Check(IsoWeek, IsoWeek, bool)"/>, with the current week read from the team's clock.</summary>
    public string? Check(IsoWeek week, TeamClock clock, DateTimeOffset utcNow, bool callerIsCoachOrAdmin)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Check(week, clock.CurrentWeek(utcNow), callerIsCoachOrAdmin);
    }

    public bool IsOpen(IsoWeek week, IsoWeek currentWeek, bool callerIsCoachOrAdmin) =>
        Check(week, currentWeek, callerIsCoachOrAdmin) is null;

    private static string LongDate(DateOnly date) => date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);
}
