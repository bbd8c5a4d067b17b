using ValueManagement.Features.Delivery;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Features.Tests.Delivery;

public sealed class SlidingWindowLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void GreedySending_ForTwoHours_KeepsEveryTeamsWindow()
    {
        var log = new SlidingWindowLog(TeamsRateLimits.PerConversation);
        var sent = new List<DateTimeOffset>();
        var now = Start;
        while (now < Start + TimeSpan.FromHours(2))
        {
            now = log.NextAllowed(now);
            log.Record(now);
            sent.Add(now);
        }

        Assert.Equal(7, TeamsLimitEnforcer.MaxInAnyWindow(sent, TimeSpan.FromSeconds(1)));
        Assert.Equal(8, TeamsLimitEnforcer.MaxInAnyWindow(sent, TimeSpan.FromSeconds(2)));
        Assert.Equal(60, TeamsLimitEnforcer.MaxInAnyWindow(sent, TimeSpan.FromSeconds(30)));
        Assert.Equal(1800, TeamsLimitEnforcer.MaxInAnyWindow(sent, TimeSpan.FromHours(1)));
        // The hour's allowance is used up in the first half hour (60 per 30 s), then nothing until it frees.
        Assert.Equal(1800, sent.Count(t => t < Start + TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Margin_WidensEachWindow()
    {
        var log = new SlidingWindowLog([new RateWindow(2, TimeSpan.FromSeconds(1))], margin: TimeSpan.FromMilliseconds(200));
        log.Record(Start);
        log.Record(Start);

        Assert.Equal(Start + TimeSpan.FromMilliseconds(1200), log.NextAllowed(Start));
    }

    [Fact]
    public void MinimumSpacing_SpreadsEvents()
    {
        var log = new SlidingWindowLog([new RateWindow(30, TimeSpan.FromSeconds(1))], minimumSpacing: TimeSpan.FromMilliseconds(20));
        log.Record(Start);

        Assert.Equal(Start + TimeSpan.FromMilliseconds(20), log.NextAllowed(Start));
        Assert.Equal(Start + TimeSpan.FromMilliseconds(50), log.NextAllowed(Start + TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public void CountBetween_IsHalfOpen()
    {
        var log = new SlidingWindowLog([new RateWindow(10, TimeSpan.FromSeconds(10))]);
        log.Record(Start);
        log.Record(Start + TimeSpan.FromSeconds(1));
        log.Record(Start + TimeSpan.FromSeconds(2));

        Assert.Equal(2, log.CountBetween(Start, Start + TimeSpan.FromSeconds(2)));
        Assert.True(log.IsIdle(Start + TimeSpan.FromSeconds(12)));
        Assert.False(log.IsIdle(Start + TimeSpan.FromSeconds(11)));
    }

    [Fact]
    public void Forget_TakesBackAnEventThatDidNotHappen()
    {
        var log = new SlidingWindowLog([new RateWindow(2, TimeSpan.FromSeconds(1))]);
        log.Record(Start);
        log.Record(Start + TimeSpan.FromMilliseconds(10));
        Assert.Equal(Start + TimeSpan.FromSeconds(1), log.NextAllowed(Start + TimeSpan.FromMilliseconds(20)));

        log.Forget(Start + TimeSpan.FromMilliseconds(10));

        Assert.Equal(1, log.Count);
        Assert.Equal(Start + TimeSpan.FromMilliseconds(20), log.NextAllowed(Start + TimeSpan.FromMilliseconds(20)));
        log.Forget(Start + TimeSpan.FromSeconds(5)); // nothing recorded then: nothing taken back
        Assert.Equal(1, log.Count);
    }
}
