using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.People;

public sealed class RoleCommandTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private static string ReplyText(ConnectorCall call) => call.Body?["text"]?.GetValue<string>() ?? string.Empty;

    [Fact]
    public async Task AdminAddsMemberById_RoleStoredAndAudited()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        await host.SendAsync(host.Activities.Personal($"member add ward 8 {TestUser.Stranger.AadObjectId}", TestUser.AdminGrant));

        var call = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.Contains("Ward 8", ReplyText(call), StringComparison.Ordinal);
        var directory = host.Services.GetRequiredService<TeamDirectory>();
        Assert.Contains(directory.RolesOf(TestUser.Stranger.AadObjectId), r => r.Role == Role.Member && r.ScopeId == TestOrganisation.Ward8);
        var audit = host.Services.GetRequiredService<AuditLog>();
        Assert.Contains(audit.ForTeam(TestOrganisation.Ward8), e => e.Action == "grant");
    }

    [Fact]
    public async Task DataLeadCannotAddCoach_RefusalSaysWhoCan()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        await host.SendAsync(host.Activities.Personal($"coach add ward 7 {TestUser.Stranger.AadObjectId}", TestUser.NurseJones));

        var call = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.Contains("admin", ReplyText(call), StringComparison.Ordinal);
        var directory = host.Services.GetRequiredService<TeamDirectory>();
        Assert.Empty(directory.RolesOf(TestUser.Stranger.AadObjectId));
    }

    [Fact]
    public async Task CoachRemovesDataLeadByName()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        await host.SendAsync(host.Activities.Personal("datalead remove ward 7 Sister Jones", TestUser.CoachPatel));

        var call = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.Contains("no longer", ReplyText(call), StringComparison.Ordinal);
        var directory = host.Services.GetRequiredService<TeamDirectory>();
        Assert.DoesNotContain(directory.RolesOf(TestUser.NurseJones.AadObjectId), r => r.Role == Role.DataLead);
    }

    [Fact]
    public async Task Roles_StrangerIsRefused_CoachSeesNames()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        await host.SendAsync(host.Activities.Personal("roles ward 7", TestUser.Stranger));
        var refused = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.DoesNotContain("Sister Jones", ReplyText(refused), StringComparison.Ordinal);

        host.Cloud.ClearCalls();
        await host.SendAsync(host.Activities.Personal("roles ward 7", TestUser.CoachPatel));
        var shown = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.Contains("Sister Jones", ReplyText(shown), StringComparison.Ordinal);
        Assert.Contains("Dana Moss", ReplyText(shown), StringComparison.Ordinal);
    }
}
