using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ValueManagement.Features.Permissions;

public static class PermissionsServiceCollectionExtensions
{
    /// <summary>The one permission check, with team membership read from Microsoft 365 groups through Graph.</summary>
    public static IServiceCollection AddPermissions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccessOptions>()
            .Bind(configuration.GetSection(AccessOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IGroupMembershipSource, GraphGroupMembershipSource>();
        services.AddSingleton<GroupMembershipCache>();
        services.AddSingleton<AccessPolicy>();
        return services;
    }
}
