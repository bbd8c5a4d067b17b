using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Audit;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;
using ValueManagement.Testing.Graph;

namespace ValueManagement.Bot.Tests.People;

public sealed class GraphPeopleTests(GraphTestEnvironment environment) : IClassFixture<GraphTestEnvironment>
{
    private static string ReplyText(ConnectorCall call) => call.Body?["text"]?.GetValue<string>() ?? string.Empty;

    private static async Task<string> SendAndReadReplyAsync(BotTestHost host, string text, TestUser from)
    {
        host.Cloud.ClearCalls();
        using var response = await host.SendAsync(host.Activities.Personal(text, from));
        response.EnsureSuccessStatusCode();
        return ReplyText(Assert.Single(await host.Cloud.WaitForCallsAsync(1)));
    }

    [Fact]
    public async Task DataLeadAddedByEmail_ResolvedThroughGraph_BotInstalledForThem_Audited()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await SendAndReadReplyAsync(host, "datalead add ward 8 sam.smith@nhs.scot", TestUser.AdminGrant);

        Assert.Contains("Sam Smith", reply, StringComparison.Ordinal);
        Assert.Contains("installed", reply, StringComparison.Ordinal);
        var directory = host.Services.GetRequiredService<TeamDirectory>();
        var role = Assert.Single(directory.RolesOf(GraphTestEnvironment.SamSmith.Id));
        Assert.Equal((Role.DataLead, TestOrganisation.Ward8, "Sam Smith"), (role.Role, role.ScopeId, role.DisplayName));
        Assert.Contains(GraphTestEnvironment.SamSmith.Id, environment.Graph.InstalledFor);
        var audit = host.Services.GetRequiredService<AuditLog>();
        Assert.Contains(audit.ForTeam(TestOrganisation.Ward8), e => e.Action == "grant");
        Assert.Contains(audit.ForSubject("person", GraphTestEnvironment.SamSmith.Id), e => e.Action == "install-bot");

        // App-only: every Graph call carries the token from the client-credentials flow for Graph's scope.
        Assert.All(environment.Graph.Calls, call => Assert.Equal("Bearer " + FakeBotFrameworkCloud.ConnectorAccessToken, call.Authorization));
        Assert.Contains(environment.Cloud.TokenRequests, form => form.GetValueOrDefault("scope") == "https://graph.microsoft.com/.default" && form.GetValueOrDefault("grant_type") == "client_credentials");
    }

    [Fact]
    public async Task CoachAddsMemberByDisplayName_NamedAsEntraKnowsThem()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await SendAndReadReplyAsync(host, "member add ward 7 pat o'neil", TestUser.CoachPatel);

        Assert.Contains("Pat O'Neil", reply, StringComparison.Ordinal);
        var role = Assert.Single(host.Services.GetRequiredService<TeamDirectory>().RolesOf(GraphTestEnvironment.PatO.Id));
        Assert.Equal((Role.Member, TestOrganisation.Ward7, "Pat O'Neil"), (role.Role, role.ScopeId, role.DisplayName));
        Assert.Empty(environment.Graph.InstalledFor); // only data leads are prompted in personal chat
    }

    [Fact]
    public async Task NameMatchingTwoPeople_AsksForTheEmail_NothingChanges()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await SendAndReadReplyAsync(host, "member add ward 7 Sam", TestUser.CoachPatel);

        Assert.Contains("More than one person", reply, StringComparison.Ordinal);
        Assert.Contains("sam.smith@nhs.scot", reply, StringComparison.Ordinal);
        Assert.Empty(host.Services.GetRequiredService<TeamDirectory>().RolesOf(GraphTestEnvironment.SamSmith.Id));
    }

    [Fact]
    public async Task UnknownEmail_SaysNobodyFound()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await SendAndReadReplyAsync(host, "member add ward 7 nobody@nhs.scot", TestUser.CoachPatel);

        Assert.Contains("couldn't find anyone", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph403_AdminToldWhichPermission_NoStackTrace_NothingChanges()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        environment.Graph.FailNext(new GraphFailure(403, "Authorization_RequestDenied"));

        var reply = await SendAndReadReplyAsync(host, "member add ward 7 sam.smith@nhs.scot", TestUser.AdminGrant);

        Assert.Contains("User.Read.All", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", reply, StringComparison.Ordinal);
        Assert.Empty(host.Services.GetRequiredService<TeamDirectory>().RolesOf(GraphTestEnvironment.SamSmith.Id));
    }

    [Fact]
    public async Task Graph404OnInstall_RoleKeptAndAdminTold()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        environment.Graph.FailNext(new GraphFailure(404, "NotFound", Matches: call => call.Method == "POST"));

        var reply = await SendAndReadReplyAsync(host, "datalead add ward 7 sam.smith@nhs.scot", TestUser.AdminGrant);

        Assert.Contains("couldn't install", reply, StringComparison.Ordinal);
        Assert.Contains(host.Services.GetRequiredService<TeamDirectory>().RolesOf(GraphTestEnvironment.SamSmith.Id), r => r.Role == Role.DataLead);
        Assert.Contains(host.Services.GetRequiredService<AuditLog>().ForSubject("person", GraphTestEnvironment.SamSmith.Id), e => e.Action == "install-bot-failed");
    }

    [Fact]
    public async Task Graph429_RetriedAfterRetryAfter_ThenSucceeds()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        environment.Graph.FailNext(new GraphFailure(429, "TooManyRequests", RetryAfter: TimeSpan.FromSeconds(1)));

        var reply = await SendAndReadReplyAsync(host, "member add ward 7 sam.smith@nhs.scot", TestUser.AdminGrant);

        Assert.Contains("Sam Smith", reply, StringComparison.Ordinal);
        Assert.Equal(2, environment.Graph.Calls.Count(c => c.Path.EndsWith("/users", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AlreadyInstalled_Conflict_IsFine()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        environment.Graph.FailNext(new GraphFailure(409, "Conflict", Matches: call => call.Method == "POST"));

        var reply = await SendAndReadReplyAsync(host, "datalead add ward 7 sam.smith@nhs.scot", TestUser.AdminGrant);

        Assert.Contains("already has the bot", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StrangerCannotProbeTheDirectory_RefusedBeforeAnyGraphCall()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await SendAndReadReplyAsync(host, "member add ward 7 sam.smith@nhs.scot", TestUser.Stranger);

        Assert.Contains("Only", reply, StringComparison.Ordinal);
        Assert.Empty(environment.Graph.Calls);
    }

    [Fact]
    public async Task WithoutGraph_NameLookupSaysHowToNameSomeone()
    {
        await using var host = environment.StartHost(graph: false);
        TestOrganisation.Seed(host);

        var reply = await SendAndReadReplyAsync(host, "member add ward 7 sam.smith@nhs.scot", TestUser.AdminGrant);

        Assert.Contains("@mention", reply, StringComparison.Ordinal);
        Assert.Empty(environment.Graph.Calls);
    }

    [Fact]
    public async Task ManagerAddedToServiceByEmail_ReadsItsTeams_CoachCannotAddManagers()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var refused = await SendAndReadReplyAsync(host, "manager add service medicine sam.smith@nhs.scot", TestUser.CoachPatel);
        Assert.Contains("Only a value management admin", refused, StringComparison.Ordinal);

        var reply = await SendAndReadReplyAsync(host, "manager add service medicine sam.smith@nhs.scot", TestUser.AdminGrant);
        Assert.Contains("manager of the service **Medicine**", reply, StringComparison.Ordinal);
        var role = Assert.Single(host.Services.GetRequiredService<TeamDirectory>().RolesOf(GraphTestEnvironment.SamSmith.Id));
        Assert.Equal((Role.Manager, RoleScopeKind.Service, "medicine"), (role.Role, role.ScopeKind, role.ScopeId));

        var removed = await SendAndReadReplyAsync(host, "manager remove medicine Sam Smith", TestUser.AdminGrant);
        Assert.Contains("no longer", removed, StringComparison.Ordinal);
        Assert.Empty(host.Services.GetRequiredService<TeamDirectory>().RolesOf(GraphTestEnvironment.SamSmith.Id));
        var audit = host.Services.GetRequiredService<AuditLog>().ForSubject("role", role.Key);
        Assert.Equal(["grant", "revoke"], audit.Select(e => e.Action));
    }

    [Fact]
    public async Task ManagerOfBoard_ByMention()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await SendAndReadReplyAsync(host, "manager add board NHS Highland " + TestUser.Stranger.AadObjectId, TestUser.AdminGrant);

        Assert.Contains("board **NHS Highland**", reply, StringComparison.Ordinal);
        Assert.Contains(host.Services.GetRequiredService<TeamDirectory>().RolesOf(TestUser.Stranger.AadObjectId), r => r.ScopeKind == RoleScopeKind.Board);
    }

    [Fact]
    public async Task Teams_ListsTheCallersTeamsAndRoles_StrangerHasNone()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var coach = await SendAndReadReplyAsync(host, "teams", TestUser.CoachPatel);
        Assert.Contains("Ward 7", coach, StringComparison.Ordinal);
        Assert.Contains("Ward 8", coach, StringComparison.Ordinal);
        Assert.Contains("coach", coach, StringComparison.Ordinal);

        var lead = await SendAndReadReplyAsync(host, "teams", TestUser.NurseJones);
        Assert.Contains("Ward 7", lead, StringComparison.Ordinal);
        Assert.DoesNotContain("Ward 8", lead, StringComparison.Ordinal);

        var stranger = await SendAndReadReplyAsync(host, "teams", TestUser.Stranger);
        Assert.Contains("not in any", stranger, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Graph:BaseUrl", "http://graph.example")]
    [InlineData("Graph:CertificatePath", "/no/such/file.pfx")]
    [InlineData("Graph:MaxAttempts", "0")]
    public void BadGraphSettings_HostRefusesToStart(string key, string value)
    {
        using var host = environment.StartHost(new Dictionary<string, string?> { [key] = value });

        var failure = Assert.ThrowsAny<Exception>(() => host.Services);
        Assert.Contains("Graph:", (failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException ?? failure).Message, StringComparison.Ordinal);
    }
}
