using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Scheduling;

/// <summary>The weekly roll-up to a service's managers' channel, bound with <c>link service</c>: once, at its time, within the catch-up window.</summary>
public sealed class WeeklyRollupTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    // Tuesday 8 Dec 2026 (GMT): the roll-up at the default "tue 13:00" covers 2026-W49.
    private static readonly DateTimeOffset Tuesday = new(2026, 12, 8, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Rollup_GoesToTheLinkedManagersChannel_OnceAtItsTime_AndIsNotSentAfterTheCatchUpWindow()
    {
        var time = new FakeTimeProvider(Tuesday.AddHours(9));
        await using var host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(time));
        TestOrganisation.Seed(host);
        await host.SendAsync(host.Activities.InstallInTeam());
        await host.SendAsync(host.Activities.Channel("link service medicine", TestUser.AdminGrant));
        host.Cloud.ClearCalls();

        await RhythmTests.TickAtAsync(host, time, Tuesday.AddHours(12).AddMinutes(59));
        Assert.Empty(Rollups(host));

        await RhythmTests.TickAtAsync(host, time, Tuesday.AddHours(13));
        var rollup = Assert.Single(Rollups(host));
        Assert.Equal(TestActivities.ChannelThreadId, rollup.ConversationId);
        Assert.Contains("Medicine: weekly roll-up for 2026-W49", rollup.Body!["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Ward 7", rollup.Card!.ToJsonString(), StringComparison.Ordinal);

        await RhythmTests.TickAtAsync(host, time, Tuesday.AddHours(14));
        Assert.Single(Rollups(host));

        // A week later the bot was down from 12:00 until 20:00: past the six-hour window, nothing is sent late.
        host.Cloud.ClearCalls();
        await RhythmTests.TickAtAsync(host, time, Tuesday.AddDays(7).AddHours(20));
        Assert.Empty(Rollups(host));
    }

    private static List<ConnectorCall> Rollups(BotTestHost host) => RhythmTests.AcceptedPosts(host)
        .Where(c => c.Body?["summary"]?.GetValue<string>()?.Contains("weekly roll-up", StringComparison.Ordinal) == true)
        .ToList();
}
