using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ValueManagement.Features.Audit;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Conversations;
using ValueManagement.Features.Delivery;
using ValueManagement.Features.Help;
using ValueManagement.Features.PatientData;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.People;
using ValueManagement.Features.Permissions;
using ValueManagement.Features.Scheduling;
using ValueManagement.Features.Storage;
using ValueManagement.Features.TeamSetup;
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
        services.TryAddTimeProvider();
        services.AddSingleton(provider => new VmDatabase(provider.GetRequiredService<IOptions<StorageOptions>>().Value.LiteDb.Path));
        services.AddDocumentDatabase(configuration);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ConversationStore>();
        services.AddSingleton<TeamDirectory>();
        services.AddSingleton<MeasureSetStore>();
        services.AddSingleton<SubmissionStore>();
        return services;
    }

    /// <summary>Every feature: its commands, card actions and event handlers go into the routing tables.</summary>
    public static IServiceCollection AddValueManagementFeatures(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValueManagementStorage(configuration);
        services.AddSingleton<IActivityDeduplicator, StoredActivityDeduplicator>();
        services.AddPermissions(configuration);
        services.AddImprovement(configuration);

        // Conversation references first: later handlers may post into the conversation just stored.
        services.AddSingleton<IConversationEventHandler>(p => p.GetRequiredService<ConversationStore>());
        services.AddSingleton<ITurnObserver>(p => p.GetRequiredService<ConversationStore>());
        services.AddSingleton<IConnectorFailureObserver>(p => p.GetRequiredService<ConversationStore>());

        // Help and welcome
        services.AddSingleton<HelpCommand>();
        services.AddCommand<HelpCommand>();
        services.AddSingleton<IFallbackCommand>(p => p.GetRequiredService<HelpCommand>());

        services.AddDelivery(configuration);

        services.AddSingleton<WelcomeHandler>();
        services.AddSingleton<IConversationEventHandler>(p => p.GetRequiredService<WelcomeHandler>());
        services.AddCardAction<WelcomeHandler>();

        // Team setup
        services.AddSingleton<TeamArguments>();
        services.AddCommand<LinkCommand>();
        services.AddCardAction<ChooseTeamAction>();
        services.AddCardAction<ChooseOtherTeamAction>();
        services.AddCardAction<CancelCommandAction>();

        // Weekly capture
        services.AddSingleton<CaptureService>();
        services.AddSingleton<PromptCopies>();
        services.AddCommand<SubmitCommand>();
        services.AddCardAction<SubmitWeekAction>();
        services.AddCardAction<EditWeekAction>();

        // Box score
        services.AddSingleton<BoxScoreService>();
        services.AddSingleton<ReportOutBuilder>();
        services.AddCommand<BoxScoreCommand>();
        services.AddCommand<ReportCommand>();
        services.AddCommand<RollupCommand>();
        services.AddCardAction<ShowBoxScoreAction>();
        services.AddCardAction<ShowReportAction>();
        services.AddCardAction<RollupMoreAction>();

        // Patient data: an admin's redaction of stored text
        services.AddSingleton<Redaction>();
        services.AddCommand<RedactCommand>();

        services.AddPeople(configuration);
        services.AddRhythm(configuration);
        return services;
    }

    /// <summary>Adds a command to the command table (and the type itself, so others can ask for it).</summary>
    public static IServiceCollection AddCommand<TCommand>(this IServiceCollection services) where TCommand : class, IBotCommand
    {
        if (services.All(d => d.ServiceType != typeof(TCommand))) services.AddSingleton<TCommand>();
        services.AddSingleton<IBotCommand>(p => p.GetRequiredService<TCommand>());
        return services;
    }

    /// <summary>Adds a handler to the card-action table.</summary>
    public static IServiceCollection AddCardAction<THandler>(this IServiceCollection services) where THandler : class, ICardActionHandler
    {
        if (services.All(d => d.ServiceType != typeof(THandler))) services.AddSingleton<THandler>();
        services.AddSingleton<ICardActionHandler>(p => p.GetRequiredService<THandler>());
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }
}
