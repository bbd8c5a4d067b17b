using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;
using ValueManagement.Features.People;

namespace ValueManagement.Features.Graph;

public static class GraphServiceCollectionExtensions
{
    public const string GraphClientName = "graph";

    /// <summary>Microsoft Graph (app-only): the people directory and the bot's installation for users.</summary>
    public static IServiceCollection AddGraph(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphOptions>()
            .Bind(configuration.GetSection(GraphOptions.SectionName))
            .PostConfigure(options =>
            {
                // One app registration usually serves both the bot and Graph.
                options.ClientId ??= configuration["MicrosoftAppId"];
                if (string.IsNullOrWhiteSpace(options.CertificatePath)) options.ClientSecret ??= configuration["MicrosoftAppPassword"];
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GraphOptions>, GraphOptionsValidator>();

        services.AddHttpClient(GraphTokenProvider.IdentityClientName);
        services.AddTransient<GraphRetryHandler>();
        services.AddHttpClient(GraphClientName, (provider, http) => http.Timeout = provider.GetRequiredService<IOptions<GraphOptions>>().Value.Timeout)
            .AddHttpMessageHandler<GraphRetryHandler>();
        services.AddSingleton<GraphTokenProvider>();
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<GraphOptions>>().Value;
            var http = provider.GetRequiredService<IHttpClientFactory>().CreateClient(GraphClientName);
            return new GraphServiceClient(http, new BaseBearerTokenAuthenticationProvider(provider.GetRequiredService<GraphTokenProvider>()), options.BaseUrl.TrimEnd('/'));
        });
        services.AddSingleton<IPeopleDirectory, GraphPeopleDirectory>();
        return services;
    }
}
