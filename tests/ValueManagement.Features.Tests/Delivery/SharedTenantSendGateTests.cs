using Microsoft.Extensions.Options;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.Storage;
using ValueManagement.Features.Storage.PostgreSql;
using ValueManagement.Testing.PostgreSql;

namespace ValueManagement.Features.Tests.Delivery;

/// <summary>The tenant ceiling shared by instances on one database: never more than the ceiling in any second, wherever the second starts.</summary>
public sealed class SharedTenantSendGateTests(PostgreSqlDatabaseFixture fixture) : IClassFixture<PostgreSqlDatabaseFixture>
{
    private const int Ceiling = 30;
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 8, 59, 59, 900, TimeSpan.Zero);
    private static readonly IOptions<DeliveryOptions> Options = Microsoft.Extensions.Options.Options.Create(new DeliveryOptions { TenantMessagesPerSecond = Ceiling });

    [Fact]
    public void ABurstAcrossASecondBoundary_GetsTheCeilingInAnySecond_AndEachRefusalSaysWhenToAskAgain()
    {
        using var database = new VmDatabase(new MemoryStream());
        var gate = new SharedTenantSendGate(database, Options);

        // Everyone asks as often as told, from 100 ms before a whole second: counting whole seconds would let 30 through
        // before the boundary and 30 more after it, 60 within 200 ms.
        var taken = new List<DateTimeOffset>();
        var now = Start;
        while (now < Start.AddSeconds(2))
        {
            if (gate.TryTake("tenant-a", now) is { } retryAt)
            {
                Assert.True(retryAt > now);
                now = retryAt;
            }
            else
            {
                taken.Add(now);
            }
        }

        Assert.InRange(MostInAnySecond(taken), Ceiling - 1, Ceiling);
        Assert.Null(gate.TryTake("tenant-b", Start.AddSeconds(1)));
    }

    [SkippableFact]
    public void TwoInstancesTakingAtOnce_TogetherStayUnderTheCeilingInAnySecond()
    {
        var connectionString = fixture.RequireConnectionString();
        using var first = new PostgreSqlDocumentDatabase(connectionString);
        using var second = new PostgreSqlDocumentDatabase(connectionString);
        var gates = new[] { new SharedTenantSendGate(first, Options), new SharedTenantSendGate(second, Options) };
        var tenant = "tenant-" + Guid.NewGuid().ToString("N");
        var taken = new List<DateTimeOffset>();
        var until = DateTimeOffset.UtcNow.AddSeconds(1.5);
        using var start = new Barrier(6);

        var senders = Enumerable.Range(0, 6).Select(i => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            while (DateTimeOffset.UtcNow < until)
            {
                var now = DateTimeOffset.UtcNow;
                if (gates[i % 2].TryTake(tenant, now) is null)
                {
                    lock (taken) taken.Add(now);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(senders);

        Assert.NotEmpty(taken);
        Assert.InRange(MostInAnySecond(taken), 1, Ceiling);
    }

    /// <summary>The most calls in any window of one second (half-open), wherever it starts.</summary>
    private static int MostInAnySecond(List<DateTimeOffset> calls)
    {
        var sorted = calls.Order().ToList();
        var most = 0;
        for (int first = 0, last = 0; last < sorted.Count; last++)
        {
            while (sorted[last] - sorted[first] >= TimeSpan.FromSeconds(1)) first++;
            most = Math.Max(most, last - first + 1);
        }
        return most;
    }
}
