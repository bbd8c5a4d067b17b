using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.Storage;
using ValueManagement.Teams.Authentication;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Hosting;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Tests.Delivery;

/// <summary>
/// The delivery layer wired as the bot wires it (<c>AddDelivery</c>, the real ConnectorClient and
/// ConversationStore, a LiteDB file), with only the HTTP boundary and the clock faked.
/// </summary>
public sealed class DeliveryRig : IAsyncDisposable
{
    public const string ServiceUrl = "https://smba.trafficmanager.net/amer/";
    public const string TenantId = "0a1b2c3d-0000-0000-0000-00000000e001";
    public const string Kind = "prompt";
    public const string Week = "2026-W48";

    private readonly ServiceProvider _services;
    private bool _stopped;

    private DeliveryRig(ServiceProvider services, FakeTimeProvider time, FakeConnectorHandler connector, string databasePath)
    {
        _services = services;
        Time = time;
        Connector = connector;
        DatabasePath = databasePath;
    }

    public FakeTimeProvider Time { get; }
    public FakeConnectorHandler Connector { get; }
    public string DatabasePath { get; }
    public IServiceProvider Services => _services;
    public ProactiveSender Sender => _services.GetRequiredService<ProactiveSender>();
    public DeliveryLedger Ledger => _services.GetRequiredService<DeliveryLedger>();
    public ConversationStore Conversations => _services.GetRequiredService<ConversationStore>();

    /// <summary>A rig on a new (or the given) data file. Resume at start is off unless the settings turn it on.</summary>
    public static async Task<DeliveryRig> StartAsync(
        IDictionary<string, string?>? settings = null, string? databasePath = null, FakeTimeProvider? time = null, FakeConnectorHandler? connector = null)
    {
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        connector ??= new FakeConnectorHandler(time);
        databasePath ??= Path.Combine(Path.GetTempPath(), "vm-delivery-tests", Guid.NewGuid().ToString("N") + ".db");

        var values = new Dictionary<string, string?>
        {
            ["Bot:Delivery:BaseDelay"] = "00:00:01",
            ["Bot:Delivery:MaxDelay"] = "00:00:10",
            ["Bot:Delivery:MaxAttempts"] = "4",
            ["Bot:Delivery:ResumeOnStart"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(_ => new VmDatabase(databasePath)); // a factory, so disposing the container (a "crash") releases the file
        services.AddSingleton<IDocumentDatabase>(p => p.GetRequiredService<VmDatabase>());
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<IConnectorFailureObserver>(p => p.GetRequiredService<ConversationStore>());
        services.AddOptions<BotOptions>();
        services.AddOptions<ConnectorOptions>().Bind(configuration.GetSection("Bot:Connector"));
        services.AddSingleton<ServiceUrlPolicy>();
        services.AddSingleton<IConnectorTokenProvider, StaticToken>();
        services.AddHttpClient<ConnectorClient>()
            .ConfigurePrimaryHttpMessageHandler(() => connector)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddDelivery(configuration);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var rig = new DeliveryRig(provider, time, connector, databasePath);
        await rig.Sender.StartAsync(CancellationToken.None);
        return rig;
    }

    public static DeliveryItem Item(string team, string conversationId, string? destination = null, string kind = Kind, string week = Week, string? text = null, Action? rendered = null) =>
        new(new DeliveryKey(kind, team, week, destination ?? "channel:" + conversationId),
            new ConversationTarget(ServiceUrl, conversationId),
            TenantId,
            () =>
            {
                rendered?.Invoke();
                return Activity.Message(text ?? $"Monday prompt for {team}");
            });

    public static FanOut FanOutTo(int teams, string kind = Kind, string week = Week, Action? rendered = null) =>
        new(kind, week, Enumerable.Range(1, teams).Select(i => Item($"team-{i}", Conversation(i), kind: kind, week: week, rendered: rendered)).ToList());

    public static string Conversation(int i) => $"19:channel{i:D4}@thread.tacv2";

    /// <summary>
    /// Awaits <paramref name="work"/> while moving the fake clock: each time the sender is idle
    /// (nothing in flight, waiting for time), the clock jumps to the moment it waits for.
    /// </summary>
    public async Task<T> RunAsync<T>(Task<T> work, TimeSpan? fakeLimit = null)
    {
        var deadline = Time.GetUtcNow() + (fakeLimit ?? TimeSpan.FromHours(3));
        var realDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!work.IsCompleted)
        {
            var idle = Sender.WhenIdleAsync();
            var first = await Task.WhenAny(work, idle, Task.Delay(TimeSpan.FromSeconds(5)));
            if (first == work) break;
            if (first != idle) throw new TimeoutException("The sender neither finished nor went idle.");
            if (work.IsCompleted) break;

            var wakeAt = await idle;
            if (wakeAt is null)
            {
                // Nothing queued or in flight: the outcome is on its way to the caller.
                if (await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(5))) != work)
                    throw new TimeoutException("The sender is idle with nothing scheduled, but the work did not finish.");
                break;
            }
            if (wakeAt.Value > deadline) throw new TimeoutException($"The work needs the clock past {deadline:O}.");
            if (DateTime.UtcNow > realDeadline) throw new TimeoutException("The work took too long in real time.");
            Time.Advance(wakeAt.Value - Time.GetUtcNow());
        }
        return await work;
    }

    /// <summary>Stores a conversation reference as the bot does when a user writes in it (active again if it was not).</summary>
    public Task SeeConversationAsync(string conversationId, string conversationType = ConversationTypes.Channel)
    {
        var activity = new Activity
        {
            Type = ActivityTypes.Message,
            Id = Guid.NewGuid().ToString("N"),
            ServiceUrl = ServiceUrl,
            ChannelId = "msteams",
            From = new ChannelAccount { Id = "29:user", AadObjectId = "11111111-1111-1111-1111-111111111111" },
            Recipient = new ChannelAccount { Id = "28:bot" },
            Conversation = new ConversationAccount { Id = conversationId, ConversationType = conversationType, TenantId = TenantId },
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo(TenantId) },
            Text = "hello",
        };
        var turn = new TurnContext(activity, _services.GetRequiredService<ConnectorClient>(), _services);
        return Conversations.OnTurnAsync(turn, CancellationToken.None);
    }

    /// <summary>Stops the sender and closes the data file, as a clean shutdown does.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await Sender.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }

    /// <summary>Abandons the sender mid-work and closes the data file, as a killed process leaves things.</summary>
    public async ValueTask CrashAsync()
    {
        _stopped = true;
        await _services.DisposeAsync();
    }

    private sealed class StaticToken : IConnectorTokenProvider
    {
        public Task<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken) => Task.FromResult<string?>("test-token");
    }
}
