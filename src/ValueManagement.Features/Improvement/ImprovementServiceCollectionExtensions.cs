using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Features.Hosting;

namespace ValueManagement.Features.Improvement;

public static class ImprovementServiceCollectionExtensions
{
    /// <summary>Tests of change (PDSA) and rebased limits: storage, the <c>pdsa</c> command and the report-out card's actions.</summary>
    public static IServiceCollection AddImprovement(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<TestOfChangeStore>();
        services.AddSingleton<LimitRebaseStore>();
        services.AddSingleton<LimitRebasing>();
        services.AddCommand<PdsaCommand>();
        services.AddCardAction<PdsaNoteAction>();
        services.AddCardAction<RebaseLimitsAction>();
        return services;
    }
}
