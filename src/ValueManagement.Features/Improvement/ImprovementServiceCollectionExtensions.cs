using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ValueManagement.Features.Improvement;

public static class ImprovementServiceCollectionExtensions
{
    /// <summary>Tests of change (PDSA): storage now; the <c>pdsa</c> command and report-out card actions go here.</summary>
    public static IServiceCollection AddImprovement(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<TestOfChangeStore>();
        return services;
    }
}
