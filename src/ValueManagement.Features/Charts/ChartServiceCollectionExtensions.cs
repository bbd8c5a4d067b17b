using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ValueManagement.Features.Charts;

public static class ChartServiceCollectionExtensions
{
    /// <summary>
    /// Chart images for cards: <see cref="IChartLinks"/> for card builders and the services behind
    /// <see cref="ChartEndpoints.MapCharts"/>. The <see cref="IChartSource"/> is registered by the caller;
    /// without one (or without <c>Charts:SigningKey</c> / <c>Charts:PublicBaseUrl</c>) charts are off.
    /// </summary>
    public static IServiceCollection AddCharts(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ChartOptions>()
            .Bind(configuration.GetSection(ChartOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChartOptions>, ChartOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChartFeature>();
        services.TryAddSingleton<IChartLinks, ChartLinks>();
        services.TryAddSingleton<ChartImageHandler>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChartStartup>());
        return services;
    }
}
