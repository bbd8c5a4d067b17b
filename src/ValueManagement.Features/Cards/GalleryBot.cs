using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Charts;
using ValueManagement.Features.Demo;
using ValueManagement.Features.Hosting;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Authentication;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Hosting;
using ValueManagement.Teams.Routing;
using ValueManagement.Teams.Schema;

namespace ValueManagement.Features.Cards;

/// <summary>Someone the gallery talks to the bot as: an Entra object id and a display name from the demo organisation.</summary>
public sealed record GalleryPerson(string AadObjectId, string Name)
{
    public static GalleryPerson SisterJones { get; } = new(DemoOrganisation.People.SisterJones, "Sister Jones");
    public static GalleryPerson RaviPatel { get; } = new(DemoOrganisation.People.RaviPatel, "Ravi Patel");
    public static GalleryPerson DanaMoss { get; } = new(DemoOrganisation.People.DanaMoss, "Dana Moss");
    public static GalleryPerson CardioDataLead { get; } = new("a1b2c3d4-0000-4000-8000-000000000001", "Charge Nurse Mackenzie");
    public static GalleryPerson ChildrensDataLead { get; } = new("a1b2c3d4-0000-4000-8000-000000000002", "Sister Fraser");
    public static GalleryPerson MorarDataLead { get; } = new("a1b2c3d4-0000-4000-8000-000000000003", "Charge Nurse Munro");
    public static GalleryPerson BoardManager { get; } = new("a1b2c3d4-0000-4000-8000-000000000007", "Iain MacLeod");
}

/// <summary>Where an activity comes from: a personal chat, or a channel of a Teams team that no ward is linked to.</summary>
public enum GalleryPlace
{
    PersonalChat,
    Channel,
}

/// <summary>
/// The bot itself, in-process: the same services the host registers (the protocol layer and every
/// feature), over an in-memory data file holding the demo data, on a fixed clock. Activities go
/// through the real <see cref="ActivityDispatcher"/>; what the bot sends to the Connector is caught
/// on the way out, so a card here is byte for byte the card Teams would get. Only the HTTP edge
/// (JWT validation, the Connector's network) is left out.
/// </summary>
/// <remarks>
/// The demo history ends with week <see cref="LastDemoWeek"/> (as if it had been loaded a week ago),
/// and the clock reads <see cref="Now"/>, the Tuesday morning after <see cref="PromptWeek"/>: so the
/// Monday prompt for <see cref="PromptWeek"/> is still open and the weeks before it are full.
/// </remarks>
public sealed class GalleryBot : IDisposable
{
    public static readonly IsoWeek PromptWeek = new(2026, 48);
    public static readonly IsoWeek LastDemoWeek = PromptWeek.Previous();

    /// <summary>Tuesday 1 December 2026, 09:14 in London (GMT).</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 14, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset DemoLoadedAt = new(2026, 11, 24, 7, 0, 0, TimeSpan.Zero);
    private const string ServiceUrl = "https://smba.trafficmanager.net/uk/";
    private const string BotId = "28:value-management-gallery";
    private const string TenantId = "gallery-tenant";
    private const string TeamThreadId = "19:gallery-team-general@thread.tacv2";
    private const string ChannelId = "19:gallery-channel@thread.tacv2";

    /// <summary>Where the gallery's chart URLs point: an address of the example domain, never a real bot.</summary>
    public const string GalleryBaseUrl = "https://vm-bot.example.nhs.uk";

    // A fixed key, so that the gallery's cards are the same on every run; it signs nothing a real bot would accept.
    private static readonly string GalleryChartKey = Convert.ToBase64String(Encoding.ASCII.GetBytes("value-management card gallery key"));

    /// <summary>
    /// What a hostile bot adds to every name and to every text the gallery types: markdown a person could type
    /// to make a live link or formatting on someone else's card (see <see cref="GalleryBot(byte[], bool)"/>).
    /// </summary>
    public const string HostileText = " [Verify your NHS account](https://evil.example) **urgent** _now_ <https://evil.example/login>";

    private readonly ServiceProvider _services;
    private readonly VmDatabase _database;
    private readonly MemoryStream _stream;
    private readonly GalleryClock _clock = new(DemoLoadedAt);
    private readonly OutboundActivities _outbound = new();
    private int _activityNumber;

    /// <summary>A bot over the demo data.</summary>
    public GalleryBot(bool hostile = false) : this(DemoDataFile.Value, hostile)
    {
    }

    /// <summary>A bot over a copy of <paramref name="dataFile"/> (from <see cref="DataFile"/> of another gallery bot).</summary>
    /// <param name="hostile">
    /// Every board, service, team, measure and person name, and every text the gallery types (<see cref="Typed"/>),
    /// ends with <see cref="HostileText"/>: the cards must show it as text, never as markdown.
    /// </param>
    public GalleryBot(byte[] dataFile, bool hostile = false)
    {
        IsHostile = hostile;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Charts on, so that cards carry their chart images as the bot posts them (signed URLs that lead nowhere).
            ["Charts:SigningKey"] = GalleryChartKey,
            ["Charts:PublicBaseUrl"] = GalleryBaseUrl,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.ClearProviders());
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton<IHostEnvironment>(new GalleryEnvironment());
        services.AddTeamsBotProtocol(configuration);
        services.AddValueManagementFeatures(configuration);
        services.AddCharts(configuration);
        services.AddSingleton<StoredChartSource>();
        services.AddSingleton<IChartSource>(p => p.GetRequiredService<StoredChartSource>());
        // The last registration wins: an in-memory data file, no tokens, and a Connector that goes nowhere.
        _stream = Copy(dataFile);
        _database = new VmDatabase(_stream);
        services.AddSingleton(_database);
        services.AddSingleton<IConnectorTokenProvider, NoConnectorTokens>();
        services.AddHttpClient(HttpClientNames.Connector).ConfigurePrimaryHttpMessageHandler(() => new CatchingHandler(_outbound));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        _clock.Now = Now;
        if (hostile) RenameEverything();
    }

    public bool IsHostile { get; }

    /// <summary>Text a person types in the gallery (a comment, a PDSA title or note): with <see cref="HostileText"/> for a hostile bot.</summary>
    public string Typed(string text) => IsHostile ? text + HostileText : text;

    private void RenameEverything()
    {
        var directory = Get<TeamDirectory>();
        var measureSets = Get<MeasureSetStore>();
        var teams = directory.AllTeams();
        var sets = teams.Select(t => t.MeasureSetId).Distinct(StringComparer.Ordinal).Select(measureSets.Find).OfType<Core.Measures.MeasureSet>().ToList();
        directory.ReplaceAll(Hostile(new TeamSetupDocument(directory.AllBoards(), directory.AllServices(), sets, teams, directory.AllRoles())), DemoData.Actor);
    }

    private TeamSetupDocument Hostile(TeamSetupDocument setup) => !IsHostile ? setup : new TeamSetupDocument(
        setup.Boards.Select(b => b with { Name = b.Name + HostileText }).ToList(),
        setup.Services.Select(s => s with { Name = s.Name + HostileText }).ToList(),
        setup.MeasureSets.Select(set => new Core.Measures.MeasureSet(set.Id, set.Name, set.Measures.Select(m => m with { Name = m.Name + HostileText }).ToList())).ToList(),
        setup.Teams.Select(t => t with { Name = t.Name + HostileText }).ToList(),
        setup.Roles.Select(r => r with { DisplayName = r.DisplayName + HostileText }).ToList());

    // Loading the demo year takes about a second; every bot starts from a copy of one load.
    private static readonly Lazy<byte[]> DemoDataFile = new(() =>
    {
        var stream = new MemoryStream();
        using (var database = new VmDatabase(stream))
        {
            DemoData.Load(database, new GalleryClock(DemoLoadedAt));
            database.Database.Checkpoint();
        }
        return stream.ToArray();
    });

    private static MemoryStream Copy(byte[] dataFile)
    {
        var copy = new MemoryStream();
        copy.Write(dataFile);
        copy.Position = 0;
        return copy;
    }

    /// <summary>The data file as it is now, to start other bots from.</summary>
    public byte[] DataFile()
    {
        _database.Database.Checkpoint();
        return _stream.ToArray();
    }

    public IServiceProvider Services => _services;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Moves the clock on (for a second submission a little later).</summary>
    public void Advance(TimeSpan by) => _clock.Now += by;

    /// <summary>A typed message; returns the one card the bot answered with.</summary>
    public JsonElement Say(GalleryPerson who, GalleryPlace where, string text) =>
        SingleCard(Dispatch(Activity(who, where) with { Type = ActivityTypes.Message, Text = text, TextFormat = "plain" }), $"\"{text}\"");

    /// <summary>A typed message answered in words (setting up what a later card shows); returns the words.</summary>
    public string Tell(GalleryPerson who, GalleryPlace where, string text)
    {
        var sent = Dispatch(Activity(who, where) with { Type = ActivityTypes.Message, Text = text, TextFormat = "plain" });
        return string.Join("\n", sent.Select(a => a.Text));
    }

    /// <summary>An Action.Execute on a card; returns the card the bot replaced it with.</summary>
    public JsonElement Invoke(GalleryPerson who, GalleryPlace where, string verb, IReadOnlyDictionary<string, object?> data)
    {
        var value = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = JsonSerializer.SerializeToNode(data) },
        };
        var response = DispatchInvoke(Activity(who, where) with
        {
            Type = ActivityTypes.Invoke,
            Name = ActivityDispatcher.AdaptiveCardActionInvoke,
            Value = JsonSerializer.SerializeToElement(value),
            ReplyToId = "gallery-card",
        });
        if (response is not { Type: AdaptiveCardInvokeResponse.CardType, Value: { } card })
            throw new InvalidOperationException($"The {verb} action answered with a message, not a card: {response?.Value}");
        return card;
    }

    /// <summary>The bot is added to a team or a personal chat; returns the welcome card it posts.</summary>
    public JsonElement Install(GalleryPlace where) =>
        SingleCard(Dispatch(Activity(GalleryPerson.SisterJones, where) with { Type = ActivityTypes.InstallationUpdate, Action = "add" }), "installation");

    /// <summary>
    /// Adds teams, measure sets and roles to the demo organisation (through the directory, with its audit
    /// trail) and stores figures for them, as a data lead or an import would.
    /// </summary>
    public void Extend(TeamSetupDocument extra, IEnumerable<SubmissionBatchItem> figures)
    {
        extra = Hostile(extra);
        var directory = Get<TeamDirectory>();
        var current = new TeamSetupDocument(
            directory.AllBoards(), directory.AllServices(), Get<MeasureSetStore>().Imported(), directory.AllTeams(), directory.AllRoles());
        directory.ReplaceAll(new TeamSetupDocument(
            [.. current.Boards, .. extra.Boards],
            [.. current.Services, .. extra.Services],
            [.. current.MeasureSets, .. extra.MeasureSets],
            [.. current.Teams, .. extra.Teams],
            [.. current.Roles, .. extra.Roles]), DemoData.Actor);
        Get<SubmissionStore>().SubmitMany(figures.ToList(), "gallery");
    }

    private Activity Activity(GalleryPerson who, GalleryPlace where)
    {
        var number = Interlocked.Increment(ref _activityNumber);
        var channel = where == GalleryPlace.Channel;
        return new Activity
        {
            Id = $"gallery-{number}",
            Timestamp = _clock.GetUtcNow(),
            ServiceUrl = ServiceUrl,
            ChannelId = "msteams",
            From = new ChannelAccount { Id = $"29:{who.AadObjectId}", Name = IsHostile ? who.Name + HostileText : who.Name, AadObjectId = who.AadObjectId },
            Recipient = new ChannelAccount { Id = BotId, Name = "Value management" },
            Conversation = channel
                ? new ConversationAccount { Id = ChannelId, ConversationType = ConversationTypes.Channel, IsGroup = true, TenantId = TenantId }
                : new ConversationAccount { Id = $"a:personal-{who.AadObjectId}", ConversationType = ConversationTypes.Personal, TenantId = TenantId },
            ChannelData = new TeamsChannelData
            {
                Tenant = new TenantInfo(TenantId),
                Team = channel ? new TeamInfo { Id = TeamThreadId, Name = "Medical specialties" } : null,
                Channel = channel ? new ChannelInfo { Id = ChannelId, Name = "Value management" } : null,
            },
        };
    }

    private IReadOnlyList<Activity> Dispatch(Activity activity)
    {
        _outbound.Clear();
        _ = DispatchInvoke(activity);
        return _outbound.Take();
    }

    private AdaptiveCardInvokeResponse? DispatchInvoke(Activity activity)
    {
        var turn = new TurnContext(activity, Get<ConnectorClient>(), _services);
        // Nothing here waits on I/O (the Connector is caught in memory); Task.Run keeps a caller's
        // synchronisation context out of the way.
        return Task.Run(() => Get<ActivityDispatcher>().DispatchAsync(turn, CancellationToken.None)).GetAwaiter().GetResult();
    }

    private static JsonElement SingleCard(IReadOnlyList<Activity> sent, string what)
    {
        var cards = sent.SelectMany(a => a.Attachments ?? []).Where(a => a.ContentType == Attachment.AdaptiveCardContentType && a.Content is not null).ToList();
        if (cards.Count == 1) return cards[0].Content!.Value;
        var texts = string.Join(" | ", sent.Select(a => a.Text).Where(t => t is not null));
        throw new InvalidOperationException($"Expected one card in answer to {what}, got {cards.Count}. Text answers: {texts}");
    }

    public void Dispose()
    {
        _services.Dispose();
        _database.Dispose();
    }

    /// <summary>The clock the gallery's bot reads: fixed, moved only on purpose.</summary>
    private sealed class GalleryClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    private sealed class GalleryEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "ValueManagement.Gallery";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }

    private sealed class NoConnectorTokens : IConnectorTokenProvider
    {
        public Task<string?> GetTokenAsync(bool forceRefresh, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
    }

    private sealed class OutboundActivities
    {
        private readonly List<Activity> _sent = [];
        private readonly Lock _lock = new();

        public void Add(Activity activity)
        {
            lock (_lock) _sent.Add(activity);
        }

        public void Clear()
        {
            lock (_lock) _sent.Clear();
        }

        public IReadOnlyList<Activity> Take()
        {
            lock (_lock)
            {
                var taken = _sent.ToList();
                _sent.Clear();
                return taken;
            }
        }
    }

    /// <summary>Stands in for the Connector: keeps what the bot posts and answers as the Connector does.</summary>
    private sealed class CatchingHandler(OutboundActivities outbound) : HttpMessageHandler
    {
        private int _id;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null && (request.Method == HttpMethod.Post || request.Method == HttpMethod.Put))
            {
                var body = await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (JsonSerializer.Deserialize(body, TeamsJsonContext.Default.Activity) is { } activity) outbound.Add(activity);
            }
            var id = Interlocked.Increment(ref _id);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"id":"gallery-sent-{{id}}"}""", Encoding.UTF8, "application/json"),
            };
        }
    }
}
