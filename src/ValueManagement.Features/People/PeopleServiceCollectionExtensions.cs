using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Features.Hosting;

namespace ValueManagement.Features.People;

public static class PeopleServiceCollectionExtensions
{
    /// <summary>Role commands: coach, datalead, member (add/remove) and roles.</summary>
    public static IServiceCollection AddPeople(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCommand<CoachCommand>();
        services.AddCommand<DataLeadCommand>();
        services.AddCommand<MemberCommand>();
        services.AddCommand<RolesCommand>();
        return services;
    }
}
