using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Testing.BotFramework;
using ValueManagement.Testing.Graph;

namespace ValueManagement.Bot.Tests.People;

/// <summary>The fake Bot Framework cloud plus a fake Microsoft Graph, shared by a test class; each test starts its own host.</summary>
public sealed class GraphTestEnvironment : IAsyncLifetime
{
    public static readonly FakeGraphUser SamSmith = new("66666666-6666-6666-6666-666666666666", "Sam Smith", "sam.smith@nhs.scot", "sam.smith@nhs.scot");
    public static readonly FakeGraphUser SamSmythe = new("77777777-7777-7777-7777-777777777777", "Sam Smythe", "s.smythe@nhs.scot", "sam.smythe@nhs.scot");
    public static readonly FakeGraphUser PatO = new("88888888-8888-8888-8888-888888888888", "Pat O'Neil", "pat.oneil@nhs.scot");

    private readonly BotTestEnvironment _bot = new();

    public FakeGraph Graph { get; private set; } = null!;
    public FakeBotFrameworkCloud Cloud => _bot.Cloud;

    /// <summary>A host with Graph pointed at the fake; the directory holds the three users above and the app is in the catalog.</summary>
    public BotTestHost StartHost(IDictionary<string, string?>? settings = null, bool graph = true, Action<IServiceCollection>? configureServices = null)
    {
        Graph.Reset();
        Graph.AddUser(SamSmith);
        Graph.AddUser(SamSmythe);
        Graph.AddUser(PatO);
        Graph.PublishApp(BotTestHost.AppId);
        var all = new Dictionary<string, string?>();
        if (graph)
        {
            all["Graph:TenantId"] = TestActivities.TenantId;
            all["Graph:AuthorityHost"] = Cloud.BaseUrl;
            all["Graph:ValidateAuthority"] = "false";
            all["Graph:BaseUrl"] = Graph.GraphUrl;
            all["Graph:MaxRetryDelay"] = "00:00:00.050";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return _bot.StartHost(all, configureServices);
    }

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        Graph = await FakeGraph.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Graph.DisposeAsync();
        await _bot.DisposeAsync();
    }
}
