using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Features.Conversations;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Protocol;

public sealed class ConversationReferenceTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private readonly BotTestEnvironment _environment = environment;

    [Fact]
    public async Task InstallInTeamAndPersonal_StoresReferences_ThatSurviveARestart()
    {
        var database = _environment.NewDatabasePath();
        await using (var host = _environment.StartHost(databasePath: database))
        {
            await host.SendAsync(host.Activities.InstallInTeam());
            await host.SendAsync(host.Activities.InstallPersonal(TestUser.NurseJones));
            await host.Cloud.WaitForCallsAsync(2); // the two welcome cards
        }

        await using var restarted = _environment.StartHost(databasePath: database);
        var store = restarted.Services.GetRequiredService<ConversationStore>();
        var team = store.Find(TestActivities.TeamThreadId);
        var personal = store.Find(TestActivities.PersonalConversationId(TestUser.NurseJones));

        Assert.NotNull(team);
        Assert.Equal(TestActivities.TeamAadGroupId, team!.TeamAadGroupId);
        Assert.Equal(_environment.Cloud.ServiceUrl, team.ServiceUrl);
        Assert.True(team.Active);
        Assert.NotNull(personal);
        Assert.Equal(TestUser.NurseJones.AadObjectId, personal!.UserAadObjectId);
    }

    [Fact]
    public async Task Install_PostsTheWelcomeCard()
    {
        await using var host = _environment.StartHost();
        await host.SendAsync(host.Activities.BotAddedToTeam());

        var call = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.Equal(TestActivities.TeamThreadId, call.ConversationId);
        Assert.Contains("Hello", call.Card!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uninstall_DeactivatesTheReference()
    {
        await using var host = _environment.StartHost();
        await host.SendAsync(host.Activities.InstallInTeam());
        await host.SendAsync(host.Activities.UninstallFromTeam());

        var record = host.Services.GetRequiredService<ConversationStore>().Find(TestActivities.TeamThreadId);
        Assert.False(record!.Active);
    }

    [Fact]
    public async Task ServiceUrlChange_UpdatesTheStoredReference()
    {
        await using var host = _environment.StartHost(new Dictionary<string, string?> { ["Bot:TrustedServiceUrlHosts:0"] = "127.0.0.1" });
        await host.SendAsync(host.Activities.InstallPersonal(TestUser.NurseJones));
        var moved = host.Activities.Personal("help");
        var newServiceUrl = host.Cloud.BaseUrl + "/amer/";
        moved["serviceUrl"] = newServiceUrl.Replace("127.0.0.1", "127.0.0.1", StringComparison.Ordinal) + "tenant/";

        await host.SendAsync(moved);

        var record = host.Services.GetRequiredService<ConversationStore>().Find(TestActivities.PersonalConversationId(TestUser.NurseJones));
        Assert.Equal(moved["serviceUrl"]!.GetValue<string>(), record!.ServiceUrl);
    }

    [Fact]
    public async Task ConversationNotFound_MarksTheReferenceInactive_AndIsNotRetried()
    {
        await using var host = _environment.StartHost();
        await host.SendAsync(host.Activities.InstallPersonal(TestUser.NurseJones));
        await host.Cloud.WaitForCallsAsync(1);
        host.Cloud.ClearCalls();
        host.Cloud.FailNext(new ScriptedFailure(404, "ConversationNotFound"));

        await host.SendAsync(host.Activities.Personal("help"));

        var calls = await host.Cloud.WaitForCallsAsync(1);
        await Task.Delay(200);
        Assert.Single(host.Cloud.Calls);
        var record = host.Services.GetRequiredService<ConversationStore>().Find(TestActivities.PersonalConversationId(TestUser.NurseJones));
        Assert.False(record!.Active);
    }
}
