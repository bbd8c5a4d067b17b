using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Infrastructure;

/// <summary>A small organisation for end-to-end tests: two wards in one service, people in each role.</summary>
public static class TestOrganisation
{
    public const string Ward7 = "ward-7";
    public const string Ward8 = "ward-8";

    /// <param name="ward7GroupId">Ward 7's Microsoft 365 group, as if the bot had been added to its team.</param>
    public static void Seed(BotTestHost host, string? ward7GroupId = null)
    {
        var directory = host.Services.GetRequiredService<TeamDirectory>();
        directory.ReplaceAll(
            [new Board("nhs-highland", "NHS Highland")],
            [new Service("medicine", "Medicine", "nhs-highland")],
            [
                new TeamProfile { Id = Ward7, Name = "Ward 7", Aliases = ["7", "respiratory"], ServiceId = "medicine", MeasureSetId = "acute-ward", AadGroupId = ward7GroupId },
                new TeamProfile { Id = Ward8, Name = "Ward 8", Aliases = ["8", "cardio"], ServiceId = "medicine", MeasureSetId = "acute-ward" },
            ],
            [
                Role(TestUser.NurseJones, Core.Organisation.Role.DataLead, RoleScopeKind.Team, Ward7),
                Role(TestUser.CoachPatel, Core.Organisation.Role.Coach, RoleScopeKind.Team, Ward7),
                Role(TestUser.CoachPatel, Core.Organisation.Role.Coach, RoleScopeKind.Team, Ward8),
                Role(TestUser.ManagerMoss, Core.Organisation.Role.Manager, RoleScopeKind.Service, "medicine"),
                Role(TestUser.AdminGrant, Core.Organisation.Role.Admin, RoleScopeKind.Everywhere, null),
            ],
            new Actor("test", "test setup"));
    }

    private static RoleAssignment Role(TestUser user, Role role, RoleScopeKind kind, string? scope) =>
        new(user.AadObjectId, user.Name, role, kind, scope);
}
