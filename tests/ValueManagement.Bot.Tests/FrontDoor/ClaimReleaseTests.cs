using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.FrontDoor;

/// <summary>A turn that does not finish gives up its de-duplication claim, so Teams' retry is processed, not dropped.</summary>
public sealed class ClaimReleaseTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    [Fact]
    public async Task HostStopsMidTurn_ClaimIsReleased_TeamsRetryToTheNextHostIsProcessed()
    {
        var database = environment.NewDatabasePath();
        // The clock stands still, so the turn's budget never ends it: only the shutdown does.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        System.Text.Json.Nodes.JsonObject? activity = null;

        await using (var first = environment.StartHost(databasePath: database, configureServices: services => services.AddSingleton<TimeProvider>(time)))
        {
            activity = first.Activities.Personal("help");
            first.Cloud.FailNext(new ScriptedFailure(0, Hang: true));
            var turn = first.SendAsync(activity);
            await first.Cloud.WaitForCallsAsync(1, c => c.Path.EndsWith("-> no answer", StringComparison.Ordinal));
            Assert.False(turn.IsCompleted);

            await first.DisposeAsync(); // Teams gives up on the request; the host stops mid-turn
            try { (await turn).Dispose(); } catch (Exception e) when (e is HttpRequestException or OperationCanceledException or ObjectDisposedException) { }
        }

        // Same clock: the claim is not stale (IActivityDeduplicator.StaleClaimAfter), so only its release lets the retry through.
        await using var second = environment.StartHost(databasePath: database, resetCloud: false, configureServices: services => services.AddSingleton<TimeProvider>(time));
        second.Cloud.ClearCalls();
        using (var retry = await second.SendAsync(activity!))
            Assert.Equal(HttpStatusCode.OK, retry.StatusCode);

        var reply = Assert.Single(await second.Cloud.WaitForCallsAsync(1));
        Assert.Equal(activity!["id"]!.GetValue<string>(), reply.ActivityId);
    }
}
