using ValueManagement.Core.Improvement;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Features.Improvement;

/// <summary>A test of change adopted for a measure, and the week (in the team's time zone) it was adopted.</summary>
public sealed record AdoptedChange(TestOfChange Test, string MeasureKey, IsoWeek Week)
{
    /// <summary>The short label on the measure's chart, e.g. "P3 adopted".</summary>
    public string ChartLabel => $"{Test.Id} adopted";

    /// <summary>The team's adopted tests of change that name a measure, oldest adoption first.</summary>
    public static IReadOnlyList<AdoptedChange> Of(TeamProfile team, IEnumerable<TestOfChange> tests)
    {
        var clock = TeamClock.FromTimeZoneId(team.TimeZoneId);
        return tests
            .Where(t => t.Status == TestOfChangeStatus.Adopted && t.MeasureKey is not null)
            .Select(t => new AdoptedChange(t, t.MeasureKey!, clock.CurrentWeek(t.StatusSince)))
            .OrderBy(a => a.Week)
            .ThenBy(a => a.Test.Id.Number)
            .ToList();
    }
}
