using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.Help;
using ValueManagement.Features.Storage;
using ValueManagement.Teams.Connector;
using ValueManagement.Teams.Hosting;
using ValueManagement.Teams.Routing;

namespace ValueManagement.Features.Hosting;

public static class FeatureServiceCollectionExtensions
{
    /// <summary>Storage shared by the bot and the <c>vm</c> tool.</summary>
    public static IServiceCollection AddValueManagementStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider => new VmDatabase(provider.GetRequiredService<IOptions<StorageOptions>>().Value.LiteDb.Path));
        services.AddSingleton<ConversationStore>();
        return services;
    }

    /// <summary>Every feature: its commands, card actions and event handlers go into the routing tables.</summary>
    public static IServiceCollection AddValueManagementFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValueManagementStorage(configuration);
        services.AddSingleton<IActivityDeduplicator, LiteDbActivityDeduplicator>();

        // Conversation references first: later handlers may post into the conversation just stored.
        services.AddSingleton<IConversationEventHandler>(p => p.GetRequiredService<ConversationStore>());
        services.AddSingleton<ITurnObserver>(p => p.GetRequiredService<ConversationStore>());
        services.AddSingleton<IConnectorFailureObserver>(p => p.GetRequiredService<ConversationStore>());

        services.AddSingleton<HelpCommand>();
        services.AddSingleton<IBotCommand>(p => p.GetRequiredService<HelpCommand>());
        services.AddSingleton<IFallbackCommand>(p => p.GetRequiredService<HelpCommand>());

        services.AddDelivery(configuration);

        services.AddSingleton<WelcomeHandler>();
        services.AddSingleton<IConversationEventHandler>(p => p.GetRequiredService<WelcomeHandler>());
        services.AddSingleton<ICardActionHandler>(p => p.GetRequiredService<WelcomeHandler>());
        return services;
    }
}
