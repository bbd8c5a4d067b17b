using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Features.Graph;
using ValueManagement.Features.Hosting;

namespace ValueManagement.Features.People;

public static class PeopleServiceCollectionExtensions
{
    /// <summary>People and roles: Microsoft Graph, the role commands (coach, datalead, member, manager), roles and teams.</summary>
    public static IServiceCollection AddPeople(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGraph(configuration);
        services.AddSingleton<RoleCommandServices>();
        services.AddCommand<CoachCommand>();
        services.AddCommand<DataLeadCommand>();
        services.AddCommand<MemberCommand>();
        services.AddCommand<ManagerCommand>();
        services.AddCommand<RolesCommand>();
        services.AddCommand<TeamsCommand>();
        return services;
    }
}
