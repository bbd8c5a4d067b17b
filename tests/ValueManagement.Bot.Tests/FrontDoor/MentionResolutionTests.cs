using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Bot.Tests.People;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.FrontDoor;

/// <summary>
/// Teams' @mentions of people often carry only the <c>29:</c> id and a name: the bot asks the
/// Connector's members call who that is (no Graph needed), and <c>roles</c> shows people by name.
/// </summary>
public sealed class MentionResolutionTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private static string ReplyText(ConnectorCall call) => call.Body?["text"]?.GetValue<string>() ?? string.Empty;

    /// <summary>A channel message from <paramref name="from"/> @mentioning the bot and then <paramref name="mentioned"/>, as Teams sends it: no aadObjectId on the person.</summary>
    private static JsonObject ChannelMessageMentioning(BotTestHost host, string command, TestUser mentioned, TestUser from)
    {
        var activity = host.Activities.Channel($"{command} <at>{mentioned.Name}</at>", from);
        activity["entities"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = $"<at>{mentioned.Name}</at>",
            ["mentioned"] = new JsonObject { ["id"] = mentioned.TeamsId, ["name"] = mentioned.Name },
        });
        return activity;
    }

    private static async Task<string> SendAndReadReplyAsync(BotTestHost host, JsonObject activity)
    {
        host.Cloud.ClearCalls();
        using var response = await host.SendAsync(activity);
        response.EnsureSuccessStatusCode();
        var calls = await host.Cloud.WaitForCallsAsync(1, c => c.Method == "POST");
        return ReplyText(Assert.Single(calls));
    }

    [Fact]
    public async Task MentionWithoutObjectId_ResolvedThroughTheConnectorMembersCall_RoleStoredUnderTheirName_RolesShowsIt()
    {
        await using var host = environment.StartHost(); // no Graph at all
        TestOrganisation.Seed(host);
        host.Cloud.AddMember(TestUser.Stranger.TeamsId, TestUser.Stranger.Name, TestUser.Stranger.AadObjectId, "sam.other@nhs.scot");

        var reply = await SendAndReadReplyAsync(host, ChannelMessageMentioning(host, "member add ward 7", TestUser.Stranger, TestUser.AdminGrant));

        Assert.Contains($"**{TestUser.Stranger.Name}** is now a member of **Ward 7**", reply, StringComparison.Ordinal);
        var lookup = Assert.Single(host.Cloud.Calls, c => c.Method == "GET");
        Assert.Equal(TestActivities.TeamThreadId, lookup.ConversationId);
        Assert.Equal(TestUser.Stranger.TeamsId, lookup.ActivityId);
        var role = Assert.Single(host.Services.GetRequiredService<TeamDirectory>().RolesOf(TestUser.Stranger.AadObjectId));
        Assert.Equal((Role.Member, TestOrganisation.Ward7, TestUser.Stranger.Name), (role.Role, role.ScopeId, role.DisplayName));

        var roles = await SendAndReadReplyAsync(host, host.Activities.Personal("roles ward 7", TestUser.CoachPatel));
        Assert.Contains($"Members: {TestUser.Stranger.Name}", roles, StringComparison.Ordinal);
        Assert.DoesNotContain(TestUser.Stranger.AadObjectId, roles, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MentionWithoutObjectId_ThroughTheWhichTeamCard_StillResolvedThroughTheConnector()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        host.Cloud.AddMember(TestUser.Stranger.TeamsId, TestUser.Stranger.Name, TestUser.Stranger.AadObjectId);

        host.Cloud.ClearCalls();
        using (var said = await host.SendAsync(ChannelMessageMentioning(host, "member add ward 99", TestUser.Stranger, TestUser.AdminGrant)))
            said.EnsureSuccessStatusCode();
        var asked = Assert.Single(await host.Cloud.WaitForCallsAsync(1, c => c.Method == "POST"));
        var ward8 = FindButton(asked.Card!, "Ward 8");

        host.Cloud.ClearCalls();
        await host.InvokeAsync(host.Activities.Invoke(ward8["verb"]!.GetValue<string>(), ward8["data"]!.DeepClone(), TestUser.AdminGrant, TestActivities.ChannelThreadId, conversationType: "channel"));
        await host.Cloud.WaitForCallsAsync(1, c => c.Method == "POST");

        Assert.Contains(host.Cloud.Calls, c => c.Method == "GET" && c.ActivityId == TestUser.Stranger.TeamsId);
        var role = Assert.Single(host.Services.GetRequiredService<TeamDirectory>().RolesOf(TestUser.Stranger.AadObjectId));
        Assert.Equal((TestOrganisation.Ward8, TestUser.Stranger.Name), (role.ScopeId, role.DisplayName));
    }

    private static JsonObject FindButton(JsonNode? node, string title)
    {
        switch (node)
        {
            case JsonObject o when o["type"]?.GetValue<string>() == "Action.Execute" && o["title"]?.GetValue<string>() == title:
                return o;
            case JsonObject o:
                foreach (var (_, child) in o)
                    if (child is not null && TryFind(child, title) is { } found) return found;
                break;
            case JsonArray a:
                foreach (var child in a)
                    if (child is not null && TryFind(child, title) is { } found) return found;
                break;
        }
        throw new InvalidOperationException($"No button '{title}' on the card.");
    }

    private static JsonObject? TryFind(JsonNode node, string title)
    {
        try { return FindButton(node, title); }
        catch (InvalidOperationException) { return null; }
    }

    [Fact]
    public async Task MentionOfSomeoneTeamsDoesNotList_GetsAClearAnswer_AndNothingIsStored()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var reply = await SendAndReadReplyAsync(host, ChannelMessageMentioning(host, "member add ward 7", TestUser.Stranger, TestUser.AdminGrant));

        Assert.Contains($"Teams doesn't list {TestUser.Stranger.Name} as a member here", reply, StringComparison.Ordinal);
        Assert.Empty(host.Services.GetRequiredService<TeamDirectory>().RolesOf(TestUser.Stranger.AadObjectId));
    }

    [Fact]
    public async Task ObjectIdTypedInTheTeam_NamedFromTheTeamRoster_RolesShowsTheName()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        host.Cloud.AddMember(TestUser.Stranger.TeamsId, TestUser.Stranger.Name, TestUser.Stranger.AadObjectId);

        await SendAndReadReplyAsync(host, host.Activities.Channel($"member add ward 8 {TestUser.Stranger.AadObjectId}", TestUser.AdminGrant));

        var roles = await SendAndReadReplyAsync(host, host.Activities.Personal("roles ward 8", TestUser.CoachPatel));
        Assert.Contains($"Members: {TestUser.Stranger.Name}", roles, StringComparison.Ordinal);
        Assert.DoesNotContain(TestUser.Stranger.AadObjectId, roles, StringComparison.Ordinal);
    }
}

/// <summary>An object id typed in personal chat is named through Microsoft Graph.</summary>
public sealed class ObjectIdNamingTests(GraphTestEnvironment environment) : IClassFixture<GraphTestEnvironment>
{
    [Fact]
    public async Task ObjectIdTyped_NamedThroughGraph_RolesShowsTheName()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        var sam = GraphTestEnvironment.SamSmith;

        using (var added = await host.SendAsync(host.Activities.Personal($"member add ward 8 {sam.Id}", TestUser.AdminGrant)))
            added.EnsureSuccessStatusCode();
        var reply = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        Assert.Contains("**Sam Smith** is now a member", reply.Body?["text"]?.GetValue<string>(), StringComparison.Ordinal);

        host.Cloud.ClearCalls();
        using (var asked = await host.SendAsync(host.Activities.Personal("roles ward 8", TestUser.CoachPatel)))
            asked.EnsureSuccessStatusCode();
        var roles = Assert.Single(await host.Cloud.WaitForCallsAsync(1)).Body?["text"]?.GetValue<string>() ?? string.Empty;
        Assert.Contains("Members: Sam Smith", roles, StringComparison.Ordinal);
        Assert.DoesNotContain(sam.Id, roles, StringComparison.Ordinal);
    }
}
