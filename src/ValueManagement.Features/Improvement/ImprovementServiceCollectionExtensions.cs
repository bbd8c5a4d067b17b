using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Features.Hosting;

namespace ValueManagement.Features.Improvement;

public static class ImprovementServiceCollectionExtensions
{
    /// <summary>Tests of change (PDSA): storage and the <c>pdsa</c> command; report-out card actions go here.</summary>
    public static IServiceCollection AddImprovement(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<TestOfChangeStore>();
        services.AddCommand<PdsaCommand>();
        services.AddCardAction<PdsaNoteAction>();
        return services;
    }
}
