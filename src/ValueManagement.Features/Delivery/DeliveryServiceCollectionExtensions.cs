using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ValueManagement.Features.Storage;

[assembly: InternalsVisibleTo("ValueManagement.Features.Tests")]

namespace ValueManagement.Features.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Proactive delivery: the send ledger and the paced <see cref="ProactiveSender"/> (a singleton
    /// and a hosted service), with <see cref="DeliveryOptions"/> from <c>Bot:Delivery</c>. Needs the
    /// protocol (<c>AddTeamsBotProtocol</c>: the Connector client) and storage
    /// (<c>AddValueManagementStorage</c>: the data file and conversation references). Calling it
    /// twice registers once.
    /// </summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (services.Any(d => d.ServiceType == typeof(ProactiveSender))) return services;

        services.AddOptions<DeliveryOptions>()
            .Bind(configuration.GetSection(DeliveryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DeliveryLedger>();
        services.TryAddSingleton<ITenantSendGate>(provider =>
            provider.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.PostgreSql
                ? ActivatorUtilities.CreateInstance<SharedTenantSendGate>(provider)
                : new InProcessTenantSendGate());
        services.AddSingleton<ProactiveSender>();
        services.AddHostedService(provider => provider.GetRequiredService<ProactiveSender>());
        services.AddSingleton<ValueManagement.Teams.Routing.ITurnReplyQueue, TurnReplyQueue>();
        return services;
    }
}
