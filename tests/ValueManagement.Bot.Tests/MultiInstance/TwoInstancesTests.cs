using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Bot.Tests.Scheduling;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Rhythm;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.Scheduling;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;
using ValueManagement.Testing.PostgreSql;

namespace ValueManagement.Bot.Tests.MultiInstance;

/// <summary>
/// Two real bot hosts (instances A and B) on one fresh PostgreSQL database, the same fake cloud and
/// the same fake clock: what one stores the other reads at once, an activity delivered to both is
/// handled once, a week of 200 teams goes out once, and a Monday fan-out that dies with A is finished
/// by B. Skipped, saying why, when no PostgreSQL server is available.
/// </summary>
public sealed class TwoInstancesTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IDisposable
{
    private const int Teams = 200;
    private static readonly Actor Setup = new("test", "test setup");

    // Monday 7 Dec 2026 (GMT): the cycle of 2026-W50, reporting on 2026-W49.
    private static readonly DateTimeOffset Monday = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly IsoWeek Week49 = new(2026, 49);

    private readonly List<string> _databases = [];

    [SkippableFact]
    public async Task SubmissionThroughA_IsInTheBoxScoreOnB_AtOnce()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 14, 0, TimeSpan.Zero));
        var (a, b) = StartPair(time);
        await using var _ = a;
        await using var __ = b;
        TestOrganisation.Seed(a);
        await b.SendAsync(b.Activities.Personal("boxscore ward 7"));
        var before = Assert.Single(await environment.Cloud.WaitForCallsAsync(1)).Card!.ToJsonString();

        var summary = await a.InvokeAsync(a.Activities.Invoke(CaptureVerbs.SubmitWeek, CaptureFigures()));
        Assert.Contains("submitted by Sister Jones", summary!["value"]!.ToJsonString(), StringComparison.Ordinal);

        environment.Cloud.ClearCalls();
        await b.SendAsync(b.Activities.Personal("boxscore ward 7"));
        var card = Assert.Single(await environment.Cloud.WaitForCallsAsync(1)).Card!.ToJsonString();
        Assert.Contains("Ward 7: box score, week 2026-W48", card, StringComparison.Ordinal);
        Assert.NotEqual(before, card);
        Assert.Single(b.Services.GetRequiredService<SubmissionStore>().Load(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48")).Revisions);
    }

    [SkippableFact]
    public async Task AChartLinkOnACardFromA_IsServedByB_WithTheSharedSigningKey()
    {
        // Monday 7 December 2026: the report-out is of 2026-W49.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        var (a, b) = StartPair(time, new Dictionary<string, string?>
        {
            ["Charts:SigningKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 7)).ToArray()),
            ["Charts:PublicBaseUrl"] = "https://vm-bot.example.nhs.uk",
        });
        await using var _ = a;
        await using var __ = b;
        TestOrganisation.Seed(a);
        // Falls well down for the last six weeks: a shift, so the report-out shows the falls chart.
        TestOrganisation.StoreWard7Weeks(a, new IsoWeek(2026, 49), [6, 7, 5, 6, 8, 6, 5, 7, 6, 5, 7, 6, 6, 5, 2, 3, 2, 1, 2, 2]);

        await a.SendAsync(a.Activities.Personal("report ward 7", TestUser.NurseJones));
        var card = Assert.Single(await environment.Cloud.WaitForCallsAsync(1)).Card!.ToJsonString();
        var link = System.Text.RegularExpressions.Regex.Match(card, "https://vm-bot\\.example\\.nhs\\.uk(/charts/[^\"]+)");
        Assert.True(link.Success, card);
        var pathAndQuery = System.Text.Json.JsonSerializer.Deserialize<string>('"' + link.Groups[1].Value + '"')!;

        using var client = b.CreateClient();
        using var image = await client.GetAsync(pathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        // One character of the signed token changed: B refuses it as A would.
        var at = "/charts/".Length + 10;
        var changed = pathAndQuery[..at] + (pathAndQuery[at] == 'A' ? 'B' : 'A') + pathAndQuery[(at + 1)..];
        using var tampered = await client.GetAsync(changed);
        Assert.NotEqual(System.Net.HttpStatusCode.OK, tampered.StatusCode);
    }

    [SkippableFact]
    public async Task OneActivityDeliveredToBothInstances_IsHandledOnce()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 14, 0, TimeSpan.Zero));
        var (a, b) = StartPair(time);
        await using var _ = a;
        await using var __ = b;
        TestOrganisation.Seed(a);

        // The same activity (same id), as a retrying channel might deliver it to two instances at once.
        var activity = a.Activities.Invoke(CaptureVerbs.SubmitWeek, CaptureFigures());
        var answers = await Task.WhenAll(a.InvokeAsync(activity.DeepClone()), b.InvokeAsync(activity.DeepClone()));

        var week = IsoWeek.Parse("2026-W48");
        Assert.Single(a.Services.GetRequiredService<SubmissionStore>().Load(TestOrganisation.Ward7, week).Revisions);
        Assert.Single(b.Services.GetRequiredService<AuditLog>().ForSubject("submission", SubmissionStore.KeyFor(TestOrganisation.Ward7, week)));
        // One answer is the summary; the other is the same summary or "still working" — never a second revision.
        var texts = answers.Select(x => x!.ToJsonString()).ToList();
        Assert.Contains(texts, t => t.Contains("submitted by Sister Jones", StringComparison.Ordinal));
        Assert.All(texts, t => Assert.True(
            t.Contains("submitted by Sister Jones", StringComparison.Ordinal) || t.Contains("Still working", StringComparison.Ordinal), t));
        Assert.DoesNotContain(texts, t => t.Contains("revision 2", StringComparison.Ordinal));

        // Delivered again later to B: answered as already processed, with the first answer.
        var again = await b.InvokeAsync(activity.DeepClone());
        Assert.Contains("submitted by Sister Jones", again!.ToJsonString(), StringComparison.Ordinal);
        Assert.Single(b.Services.GetRequiredService<SubmissionStore>().Load(TestOrganisation.Ward7, week).Revisions);
    }

    [SkippableFact]
    public async Task AWeekOf200Teams_TickedOnBothInstances_EveryPromptReminderAndBoxScoreIsSentOnce_UnderTheSharedTenantCeiling()
    {
        const int ceiling = 40;
        var time = new FakeTimeProvider(Monday.AddHours(8.5));
        var (a, b) = StartPair(time, new() { ["Bot:Delivery:TenantMessagesPerSecond"] = ceiling.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await using var _ = a;
        await using var __ = b;
        SeedTeams(a);
        environment.Cloud.Clock = time;

        // Ticks around each due time of the default week (prompt Monday 09:00, reminder Tuesday 10:00,
        // box score Tuesday 12:00, report-out Thursday 13:30) and between them.
        double[] hours = [8.5, 9, 9.5, 13, 24 + 9.5, 24 + 10, 24 + 10.5, 24 + 11.5, 24 + 12, 24 + 12.5, 48 + 12, 72 + 13.5, 72 + 14, 96 + 12];
        foreach (var hour in hours)
            await TickBothAsync(a, b, time, Monday.AddHours(hour));

        var posts = RhythmTests.AcceptedPosts(environment.Cloud);
        var perMessage = posts.GroupBy(p => (p.ConversationId, What: RhythmTests.Describe(p))).ToList();
        Assert.All(perMessage, g => Assert.True(g.Count() == 1, $"{g.Key} was posted {g.Count()} times"));
        foreach (var kind in new[] { "prompt", "reminder", "boxscore" })
            Assert.Equal(Teams, perMessage.Count(g => g.Key.What == kind));

        // No tenant second held more than the ceiling, both instances sending.
        var perSecond = posts.GroupBy(p => p.At.ToUnixTimeSeconds()).Max(g => g.Count());
        // A call counted in one second can reach the fake cloud a step of the clock later, in the next
        // (the two instances' own pacing alone would allow about twice the ceiling).
        Assert.InRange(perSecond, 1, ceiling + 5);

        var ledger = a.Services.GetRequiredService<DeliveryLedger>();
        foreach (var kind in new[] { RhythmKind.Prompt, RhythmKind.Reminder, RhythmKind.BoxScore })
        {
            var status = ledger.FanOut(kind.KeyName(), Week49.ToString())!;
            Assert.Equal(Teams, status.Sent);
            Assert.Equal(0, status.PossiblyDuplicated);
        }
    }

    [SkippableFact]
    public async Task AStopsMidMondayFanOut_BFinishesIt_AfterTheLease_NothingLostNothingTwice()
    {
        const int sentBeforeDeath = 40;
        const int concurrentSends = 4;
        var time = new FakeTimeProvider(Monday.AddHours(9).AddMinutes(1));
        var death = new ConnectorDeath(sentBeforeDeath);
        var (a, b) = StartPair(time, new() { ["Bot:Delivery:MaxConcurrentSends"] = concurrentSends.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            configureA: services =>
            {
                services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new DyingConnectorHandler(death)));
                services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
            });
        await using var _ = a;
        await using var __ = b;
        SeedTeams(a);

        // A runs the Monday prompt; after 40 posts its calls never return (as if the process died
        // mid-send): 40 sent, 4 in flight under A, the rest pending in A's lost queue.
        var dying = a.Services.GetRequiredService<RhythmRunner>().TickAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (death.Hung < concurrentSends && DateTime.UtcNow < deadline)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(2);
        }
        Assert.Equal(concurrentSends, death.Hung);
        Assert.False(dying.IsCompleted);
        Assert.Equal(sentBeforeDeath, Prompts().Count);

        // B's tick at once sends the pending ones and leaves those in flight under A alone (lease).
        var first = await RhythmTests.TickAtAsync(b, time, time.GetUtcNow());
        var fanOut = Assert.Single(first.FanOuts);
        Assert.Equal(sentBeforeDeath, fanOut.AlreadySent);
        Assert.Equal(concurrentSends, fanOut.InFlightElsewhere);
        Assert.Equal(Teams - sentBeforeDeath - concurrentSends, fanOut.Sent);
        Assert.Equal(Teams - concurrentSends, Prompts().Select(p => p.ConversationId).Distinct().Count());

        // A quarter of an hour later the lease has run out: B takes them over (possibly duplicated).
        var second = await RhythmTests.TickAtAsync(b, time, time.GetUtcNow().AddMinutes(15));
        Assert.Equal(concurrentSends, Assert.Single(second.FanOuts).Sent);

        var perChannel = Prompts().GroupBy(p => p.ConversationId).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(Teams, perChannel.Count);
        var twice = perChannel.Count(p => p.Value > 1);
        var status = b.Services.GetRequiredService<DeliveryLedger>().FanOut(RhythmKind.Prompt.KeyName(), Week49.ToString())!;
        Assert.Equal(Teams, status.Sent);
        Assert.Equal(concurrentSends, status.InFlightAtCrash);
        Assert.Equal(concurrentSends, status.PossiblyDuplicated);
        Assert.InRange(twice, 0, status.PossiblyDuplicated);
        Assert.Equal(0, twice); // A's calls never reached Teams here.
    }

    public void Dispose()
    {
        environment.Cloud.Clock = TimeProvider.System;
        foreach (var database in _databases) PostgreSqlTestServer.Shared.DropDatabase(database);
    }

    private List<ConnectorCall> Prompts() =>
        RhythmTests.AcceptedPosts(environment.Cloud).Where(c => RhythmTests.Describe(c) == "prompt").ToList();

    /// <summary>Instances A and B on a fresh database, with the same settings and clock; the cloud is reset once.</summary>
    private (BotTestHost A, BotTestHost B) StartPair(FakeTimeProvider time, Dictionary<string, string?>? extra = null, Action<IServiceCollection>? configureA = null)
    {
        var server = PostgreSqlTestServer.Shared;
        Skip.If(server.UnavailableReason is not null, server.UnavailableReason);
        var connectionString = server.CreateDatabase(out var name);
        _databases.Add(name);
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSql",
            ["Storage:PostgreSql:ConnectionString"] = connectionString,
        };
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        var a = environment.StartHost(settings, services =>
        {
            services.AddSingleton<TimeProvider>(time);
            configureA?.Invoke(services);
        });
        _ = a.Services;
        var b = environment.StartHost(settings, services => services.AddSingleton<TimeProvider>(time), resetCloud: false);
        _ = b.Services;
        return (a, b);
    }

    private static Dictionary<string, object?> CaptureFigures() => Capture.CaptureTests.Figures();

    /// <summary>Both instances tick at once; the shared clock moves on while they pace their sends.</summary>
    private static async Task TickBothAsync(BotTestHost a, BotTestHost b, FakeTimeProvider time, DateTimeOffset at)
    {
        if (at > time.GetUtcNow()) time.SetUtcNow(at);
        var ticks = Task.WhenAll(
            Task.Run(() => a.Services.GetRequiredService<RhythmRunner>().TickAsync(CancellationToken.None)),
            Task.Run(() => b.Services.GetRequiredService<RhythmRunner>().TickAsync(CancellationToken.None)));
        while (!ticks.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(20));
            await Task.WhenAny(ticks, Task.Delay(2));
        }
        await ticks;
    }

    private void SeedTeams(BotTestHost host) =>
        ChannelTeams.Seed(host.Services.GetRequiredService<IDocumentDatabase>(), environment.Cloud.ServiceUrl, Teams, Monday);

    /// <summary>How many of A's posts got through before it "died", and how many calls are stuck since.</summary>
    private sealed class ConnectorDeath(int postsBeforeDeath)
    {
        private int _posts;
        private int _hung;

        public int Hung => Volatile.Read(ref _hung);

        /// <summary>True when this post may go; false once A is dead (the call then never returns).</summary>
        public bool Admit()
        {
            if (Interlocked.Increment(ref _posts) <= postsBeforeDeath) return true;
            Interlocked.Increment(ref _hung);
            return false;
        }
    }

    /// <summary>Instance A's Connector calls: proactive posts beyond the limit never return and never reach the cloud.</summary>
    private sealed class DyingConnectorHandler(ConnectorDeath death) : DelegatingHandler
    {
        private static readonly TaskCompletionSource<HttpResponseMessage> Never = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri?.AbsolutePath ?? string.Empty;
            var proactivePost = request.Method == HttpMethod.Post
                && path.Contains("/v3/conversations/", StringComparison.Ordinal)
                && path.EndsWith("/activities", StringComparison.Ordinal);
            if (proactivePost && !death.Admit()) return Never.Task;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
