using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Charts;

namespace ValueManagement.Bot.Tests.Charts;

/// <summary>
/// The bot's composition root exactly as Program.cs builds it, on Kestrel at 127.0.0.1 with a free
/// port, so chart images are fetched over real HTTP, with a fake chart source in place of the
/// stored figures.
/// </summary>
internal sealed class ChartHost : IAsyncDisposable
{
    private ChartHost(WebApplication app, ChartLogs logs)
    {
        App = app;
        Logs = logs;
        Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public ChartLogs Logs { get; }
    public IChartLinks Links => App.Services.GetRequiredService<IChartLinks>();

    public static async Task<ChartHost> StartAsync(
        BotTestEnvironment environment,
        IDictionary<string, string?> charts,
        IChartSource? source,
        string environmentName = "Production",
        Action<IServiceCollection>? configureServices = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0",
            ["MicrosoftAppId"] = BotTestHost.AppId,
            ["MicrosoftAppPassword"] = BotTestHost.AppPassword,
            ["MicrosoftAppType"] = "MultiTenant",
            ["ToBotFromChannelOpenIdMetadataUrl"] = environment.Cloud.OpenIdMetadataUrl,
            ["ToChannelFromBotLoginUrl"] = environment.Cloud.LoginUrl,
            ["ValidateAuthority"] = "false",
            ["Bot:TrustedServiceUrlHosts:0"] = "127.0.0.1",
            ["Storage:LiteDb:Path"] = environment.NewDatabasePath(),
            ["Scheduling:Enabled"] = "false",
            ["Scheduling:Storage"] = "InMemory",
        };
        foreach (var (key, value) in charts) settings[key] = value;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environmentName, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddBotDefaults();
        var logs = new ChartLogs();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);

        builder.Services.AddValueManagementBot(builder.Configuration);
        if (source is not null) builder.Services.AddSingleton(source); // replaces the stored-figures source
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapHealthEndpoints();
        app.MapBot();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new ChartHost(app, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>What the host logged.</summary>
internal sealed class ChartLogs : ILoggerProvider
{
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    private sealed class Logger(ChartLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._entries) owner._entries.Add((logLevel, formatter(state, exception)));
        }
    }
}

/// <summary>Charts for a few teams; anything else is unknown.</summary>
internal sealed class FakeChartSource : IChartSource
{
    private readonly Dictionary<(string Team, string Measure), ChartModel> _charts = new();
    private readonly List<ChartRequest> _asked = [];

    public Exception? Failure { get; set; }

    public IReadOnlyList<ChartRequest> Asked
    {
        get { lock (_asked) return [.. _asked]; }
    }

    public FakeChartSource Add(string team, string measure, ChartModel model)
    {
        _charts[(team, measure)] = model;
        return this;
    }

    public ValueTask<ChartModel?> GetChartAsync(ChartRequest request, CancellationToken cancellationToken)
    {
        lock (_asked) _asked.Add(request);
        if (Failure is not null) throw Failure;
        return ValueTask.FromResult(_charts.GetValueOrDefault((request.TeamId, request.MeasureKey)));
    }

    /// <summary>Falls on a ward: 26 weeks to 2026-W48, the last 7 an improvement after a change.</summary>
    public static ChartModel Falls()
    {
        double[] values = [4, 6, 3, 5, 2, 7, 4, 5, 3, 4, 6, 2, 5, 4, 6, 3, 5, 4, 7, 3, 2, 3, 1, 2, 3, 3];
        var points = values.Select((v, i) => new ChartPoint($"2026-W{23 + i:00}", v, i >= 19 ? SpecialCause.Improvement : SpecialCause.None)
        {
            CentreLine = 4.2,
            LowerLimit = 0,
            UpperLimit = 9.1,
        }).ToList();
        return new ChartModel
        {
            Title = "Falls per week",
            UnitLabel = "falls",
            Points = points,
            Target = 3,
            Decimals = 0,
            Annotations = [new ChartAnnotation("2026-W42", "change adopted")],
        };
    }
}
