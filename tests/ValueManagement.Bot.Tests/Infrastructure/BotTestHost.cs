using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Infrastructure;

/// <summary>
/// The real bot host (Program) in Production mode, pointed at a fake Bot Framework cloud on
/// loopback and a temporary data file. Authentication is on: activities are signed with the fake
/// cloud's test key.
/// </summary>
public sealed class BotTestHost : WebApplicationFactory<Program>
{
    public const string AppId = "6d7a1e2c-5b4f-4c3d-9e8f-0a1b2c3d4e5f";
    public const string AppPassword = "test-app-secret";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    public BotTestHost(FakeBotFrameworkCloud cloud, string databasePath, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        Cloud = cloud;
        DatabasePath = databasePath;
        Activities = new TestActivities(cloud.ServiceUrl, AppId);
        _configureServices = configureServices;
        _settings = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = AppId,
            ["MicrosoftAppPassword"] = AppPassword,
            ["MicrosoftAppType"] = "MultiTenant",
            ["ToBotFromChannelOpenIdMetadataUrl"] = cloud.OpenIdMetadataUrl,
            ["ToChannelFromBotLoginUrl"] = cloud.LoginUrl,
            ["ValidateAuthority"] = "false",
            ["Bot:TrustedServiceUrlHosts:0"] = "127.0.0.1",
            ["Bot:Connector:BaseDelay"] = "00:00:00.010",
            ["Bot:Connector:MaxDelay"] = "00:00:00.100",
            // No Hangfire server: tests call the rhythm tick directly on a fake clock (one test turns it on).
            ["Scheduling:Enabled"] = "false",
            ["Scheduling:Storage"] = "InMemory",
            ["Scheduling:SqlitePath"] = Path.ChangeExtension(databasePath, ".jobs.db"),
        };
        foreach (var (key, value) in TestStorage.SettingsFor(databasePath))
            _settings[key] = value;
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            _settings[key] = value;
    }

    public FakeBotFrameworkCloud Cloud { get; }
    public string DatabasePath { get; }
    public TestActivities Activities { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureTestServices(services =>
        {
            // The one concession to the test: the fake Microsoft endpoints' certificate is trusted.
            services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(TestCertificate.TrustingHandler));
            _configureServices?.Invoke(services);
        });
    }

    /// <summary>A valid Bot Connector token for this bot and the fake service URL.</summary>
    public string ValidToken(string? serviceUrl = null) => TestTokens.Create(Cloud.PrimaryKey, new TestTokenSpec
    {
        Audience = AppId,
        ServiceUrl = serviceUrl ?? Cloud.ServiceUrl,
    });

    /// <summary>Posts an activity to /api/messages, signed with a valid token unless told otherwise.</summary>
    public async Task<HttpResponseMessage> SendAsync(JsonNode activity, string? authorization = "valid")
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (authorization == "valid")
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ValidToken(activity["serviceUrl"] is JsonValue url && url.TryGetValue<string>(out var serviceUrl) ? serviceUrl : null));
        else if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await client.SendAsync(request);
    }

    /// <summary>
    /// Stops the host and waits until its data file is released: the host finishes disposing on its
    /// own thread (LiteDB still writing out its log) after the factory says it is done, and a host
    /// restarted on the same file in that moment would find it half-written.
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        var log = Path.Combine(Path.GetDirectoryName(DatabasePath)!, Path.GetFileNameWithoutExtension(DatabasePath) + "-log" + Path.GetExtension(DatabasePath));
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                if (!File.Exists(log))
                {
                    if (File.Exists(DatabasePath))
                    {
                        using var probe = new FileStream(DatabasePath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                    }
                    return;
                }
            }
            catch (IOException)
            {
                // Still held: wait a little.
            }
            await Task.Delay(25);
        }
    }

    public async Task<JsonNode?> InvokeAsync(JsonNode activity)
    {
        using var response = await SendAsync(activity);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(text) ? null : JsonNode.Parse(text);
    }
}

/// <summary>A fake cloud and a folder for data files, shared by a test class (IClassFixture); each test starts its own host.</summary>
public sealed class BotTestEnvironment : IAsyncLifetime
{
    public FakeBotFrameworkCloud Cloud { get; private set; } = null!;
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "vm-tests", Guid.NewGuid().ToString("N"));

    public string NewDatabasePath() => Path.Combine(Directory, Guid.NewGuid().ToString("N") + ".db");

    /// <summary>A new bot host on a fresh (or the given) data file; the shared fake cloud is reset first.</summary>
    public BotTestHost StartHost(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null, string? databasePath = null, bool resetCloud = true)
    {
        if (resetCloud) Cloud.Reset();
        return new BotTestHost(Cloud, databasePath ?? NewDatabasePath(), settings, configureServices);
    }

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        Cloud = await FakeBotFrameworkCloud.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Cloud.DisposeAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
