using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.Tests.Submissions;

public class LateEntryPolicyTests
{
    private static readonly IsoWeek Current = IsoWeek.Parse("2026-W49");
    private static readonly LateEntryPolicy Policy = LateEntryPolicy.Default;

    [Theory]
    [InlineData("2026-W49")] // the current week is not in the future
    [InlineData("2026-W48")] // last completed
    [InlineData("2026-W46")]
    [InlineData("2026-W44")] // exactly 4 weeks back from the last completed week
    public void Check_WeekInsideWindow_IsOpenToMembers(string week)
    {
        Assert.Null(Policy.Check(IsoWeek.Parse(week), Current, callerIsCoachOrAdmin: false));
        Assert.True(Policy.IsOpen(IsoWeek.Parse(week), Current, callerIsCoachOrAdmin: false));
    }

    [Fact]
    public void Check_OlderWeek_RefusedForMembersWithReason()
    {
        Assert.Equal(
            "Week 2026-W43 is more than 4 weeks before the last completed week (2026-W48), so only an improvement coach or an admin can enter or change its figures. Please ask your coach.",
            Policy.Check(IsoWeek.Parse("2026-W43"), Current, callerIsCoachOrAdmin: false));
    }

    [Theory]
    [InlineData("2026-W43")]
    [InlineData("2025-W10")]
    public void Check_OlderWeek_OpenToCoachOrAdmin(string week)
    {
        Assert.Null(Policy.Check(IsoWeek.Parse(week), Current, callerIsCoachOrAdmin: true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Check_FutureWeek_RefusedForEveryone(bool coach)
    {
        Assert.Equal(
            "Week 2026-W50 has not started yet: it starts on Monday 7 December 2026. You can enter figures for a week once it has started.",
            Policy.Check(IsoWeek.Parse("2026-W50"), Current, coach));
    }

    [Fact]
    public void OldestOpenWeek_CrossesYearEnd()
    {
        Assert.Equal(IsoWeek.Parse("2026-W50"), Policy.OldestOpenWeek(IsoWeek.Parse("2027-W02")));
        Assert.Null(Policy.Check(IsoWeek.Parse("2026-W53"), IsoWeek.Parse("2027-W02"), false));
        Assert.NotNull(Policy.Check(IsoWeek.Parse("2026-W49"), IsoWeek.Parse("2027-W02"), false));
    }

    [Fact]
    public void Check_CustomWindow_OneWeek_UsesSingular()
    {
        var policy = new LateEntryPolicy(1);

        Assert.Null(policy.Check(IsoWeek.Parse("2026-W47"), Current, false));
        Assert.StartsWith("Week 2026-W46 is more than 1 week before", policy.Check(IsoWeek.Parse("2026-W46"), Current, false));
    }

    [Fact]
    public void Check_ZeroWindow_OnlyLastCompletedAndCurrent()
    {
        var policy = new LateEntryPolicy(0);

        Assert.Null(policy.Check(IsoWeek.Parse("2026-W48"), Current, false));
        Assert.NotNull(policy.Check(IsoWeek.Parse("2026-W47"), Current, false));
    }

    [Fact]
    public void Constructor_NegativeWindow_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LateEntryPolicy(-1));
    }

    [Fact]
    public void Check_WithTeamClock_UsesTheTeamsLocalWeek()
    {
        // 23:30 UTC on Sunday 28 June 2026 is already Monday 00:30 in London (BST): week 27 has started.
        var utcNow = new DateTimeOffset(2026, 6, 28, 23, 30, 0, TimeSpan.Zero);

        Assert.Null(Policy.Check(IsoWeek.Parse("2026-W27"), TeamClock.Default, utcNow, false));
        Assert.NotNull(Policy.Check(IsoWeek.Parse("2026-W27"), TeamClock.FromTimeZoneId("Etc/UTC"), utcNow, false));
    }
}
