using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using ValueManagement.Teams.Authentication;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Teams.Hosting;

public static class BotServiceCollectionExtensions
{
    /// <summary>The Bot Framework protocol: inbound authentication, the Connector client, routing tables and the endpoint.</summary>
    public static IServiceCollection AddTeamsBotProtocol(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotAuthenticationOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotAuthenticationOptions>, BotAuthenticationOptionsValidator>();
        services.AddOptions<BotOptions>().Bind(configuration.GetSection(BotOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotOptions>, BotOptionsValidator>();
        services.AddOptions<ConnectorOptions>().Bind(configuration.GetSection("Bot:Connector")).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientNames.OpenIdMetadata);
        services.AddHttpClient(HttpClientNames.Identity);
        services.AddHttpClient<ConnectorClient>(HttpClientNames.Connector, http => http.Timeout = Timeout.InfiniteTimeSpan);

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<BotAuthenticationOptions>>().Value;
            var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientNames.OpenIdMetadata);
            return new BotSigningKeyCache(
                options.ToBotFromChannelOpenIdMetadataUrl,
                new HttpDocumentRetriever(http) { RequireHttps = true },
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<BotSigningKeyCache>>());
        });
        services.AddSingleton<ChannelTokenValidator>();
        services.AddSingleton<IConnectorTokenProvider, MsalConnectorTokenProvider>();
        services.AddSingleton<ServiceUrlPolicy>();
        services.TryAddSingleton<IActivityDeduplicator, InMemoryActivityDeduplicator>();

        services.AddSingleton<CommandTable>();
        services.AddSingleton<CardActionTable>();
        services.AddSingleton<ActivityDispatcher>();
        services.AddSingleton<BotRequestHandler>();
        services.AddHostedService<BotStartupReport>();
        return services;
    }

    public static IEndpointConventionBuilder MapBotMessages(this IEndpointRouteBuilder endpoints, string pattern = "/api/messages") =>
        endpoints.MapPost(pattern, (Microsoft.AspNetCore.Http.HttpContext http, BotRequestHandler handler) => handler.HandleAsync(http));
}

/// <summary>Says loudly at start when the bot runs in a mode that must never reach production.</summary>
internal sealed partial class BotStartupReport(
    IOptions<BotOptions> bot,
    IOptions<BotAuthenticationOptions> auth,
    CommandTable commands,
    CardActionTable cardActions,
    ILogger<BotStartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (bot.Value.AllowUnauthenticatedLocalRequests)
            LogLocalMode(logger);
        if (!auth.Value.HasAppId)
            LogNoAppId(logger);
        LogRoutes(logger, commands.Commands.Count, cardActions.Verbs.Count());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "LOCAL DEVELOPMENT MODE: unauthenticated requests from loopback are accepted (Bot:AllowUnauthenticatedLocalRequests). Never use this outside a developer's machine.")]
    private static partial void LogLocalMode(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No MicrosoftAppId is configured: outbound calls carry no token and only local development requests can be accepted.")]
    private static partial void LogNoAppId(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot ready with {Commands} commands and {Verbs} card verbs")]
    private static partial void LogRoutes(ILogger logger, int commands, int verbs);
}
