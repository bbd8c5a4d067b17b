using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Capture;
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

    /// <summary>
    /// Ward 7's figures for the weeks up to <paramref name="lastWeek"/>, one week per element of <paramref name="falls"/>
    /// (and of <paramref name="sickness"/>, 4% a week when not given), with steady costs and admissions, entered by Sister Jones.
    /// </summary>
    public static void StoreWard7Weeks(BotTestHost host, IsoWeek lastWeek, double[] falls, double[]? sickness = null)
    {
        var store = host.Services.GetRequiredService<SubmissionStore>();
        var by = new Submitter(TestUser.NurseJones.AadObjectId, TestUser.NurseJones.Name);
        for (var i = 0; i < falls.Length; i++)
            store.Submit(Ward7, lastWeek.AddWeeks(i - falls.Length + 1), new SubmissionProposal(new Dictionary<string, double?>
            {
                ["falls"] = falls[i], ["payCost"] = 10000, ["nonPayCost"] = 2000, ["patientsAdmitted"] = 30, ["sicknessAbsence"] = sickness?[i] ?? 4,
            }, null, by, 0), "test");
    }

    private static RoleAssignment Role(TestUser user, Role role, RoleScopeKind kind, string? scope) =>
        new(user.AadObjectId, user.Name, role, kind, scope);
}
