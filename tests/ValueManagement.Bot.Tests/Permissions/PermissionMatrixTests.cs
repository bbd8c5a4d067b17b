using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Bot.Tests.People;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Routing;
using ValueManagement.Testing.BotFramework;
using ValueManagement.Testing.Graph;

namespace ValueManagement.Bot.Tests.Permissions;

/// <summary>
/// Every command and every card action, tried by every kind of person against Ward 7's data: a
/// member, the data lead, the coach, the service's manager, an admin, someone with no role (and
/// outside Ward 7's Microsoft 365 group), a member of another team, a user from another tenant, a
/// member of Ward 7's group without a stored role, and an owner of the group with
/// <c>Access:TeamOwnersAreManagers</c> off and on. Each gets the action or a clear refusal:
/// never a 500, never a stack trace, never silence, and nobody sees or changes Ward 7 without a
/// role that allows it.
/// </summary>
public sealed partial class PermissionMatrixTests(GraphTestEnvironment environment) : IClassFixture<GraphTestEnvironment>
{
    public enum Who { Member, DataLead, Coach, Manager, Admin, Stranger, OtherTeam, OtherTenant, GroupMember, GroupOwner, GroupOwnerAsManager }

    private enum Expect { Acts, Refused, Answers }

    private const string OtherTenantId = "0f0f0f0f-1111-2222-3333-444444444444";
    private static readonly TestUser MemberMo = new("Mo Member", "a1a1a1a1-0000-4000-8000-000000000001");
    private static readonly TestUser OtherTeamOlu = new("Olu Eight", "a1a1a1a1-0000-4000-8000-000000000002");
    private static readonly TestUser OtherTenantTess = new("Tess Elsewhere", "a1a1a1a1-0000-4000-8000-000000000003");
    private static readonly TestUser GroupGwen = new("Gwen Group", "a1a1a1a1-0000-4000-8000-000000000004");
    private static readonly TestUser OwnerOwen = new("Owen Owner", "a1a1a1a1-0000-4000-8000-000000000005");

    private static readonly Who[] Everybody = Enum.GetValues<Who>();
    private static readonly Who[] Ward7Viewers = [Who.Member, Who.DataLead, Who.Coach, Who.Manager, Who.Admin, Who.GroupMember, Who.GroupOwnerAsManager];
    private static readonly Who[] Ward7Submitters = [Who.Member, Who.DataLead, Who.Coach, Who.Admin, Who.GroupMember];
    private static readonly Who[] Ward7Coaches = [Who.Coach, Who.Admin];
    private static readonly Who[] Admins = [Who.Admin];
    private static readonly Who[] ServiceManagers = [Who.Manager, Who.Admin];
    private static readonly Who[] Ward8Viewers = [Who.Coach, Who.Manager, Who.Admin, Who.OtherTeam];
    private static readonly Who[] InSomeTeam = [Who.Member, Who.DataLead, Who.Coach, Who.Manager, Who.Admin, Who.OtherTeam, Who.GroupMember, Who.GroupOwnerAsManager];

    /// <summary>Texts that name no team or service exactly: whatever the answer guesses or suggests, the caller may see.</summary>
    private static readonly string[] Guesses =
    [
        "report ward", "boxscore load", "boxscore wrd 8", "report wrad 7", "roles ward", "submit wards",
        "schedule wrad 7 prompt tue 08:30", $"member add wrad 7 {Target(5)}", "remind ward", "pdsa wrd 8 add Safety huddle", "rollup x", "rollup medicin",
    ];

    /// <summary>A command as typed; <see cref="Target"/> is the object id a role command grants to, checked afterwards.</summary>
    /// <param name="ChangesWard7">When allowed, the command changes Ward 7's records (and audits it).</param>
    private sealed record CommandProbe(string Command, string Text, Who[] Allowed, bool InChannel = false, string? Target = null, Role? Granted = null, bool AnyAnswerWhenAllowed = false, bool ChangesWard7 = false);

    /// <summary>A card action pressed; chooseTeam answers through the Connector (it runs a command), the others in the invoke response.</summary>
    private sealed record ActionProbe(string Verb, object Data, Who[] Allowed, bool AnswersThroughConnector = false, bool AnyAnswerWhenAllowed = false);

    private static readonly string LastWeek = IsoWeek.FromDate(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-7)).ToString();

    private static string Target(int n) => $"bbbbbbbb-0000-4000-8000-{n:D12}";

    private static readonly CommandProbe[] Commands =
    [
        new("help", "help", Everybody),
        new("submit", "submit ward 7", Ward7Submitters),
        new("boxscore", "boxscore ward 7", Ward7Viewers),
        new("report", "report ward 7", Ward7Viewers),
        new("roles", "roles ward 7", Ward7Viewers),
        new("teams", "teams", [Who.Member, Who.DataLead, Who.Coach, Who.Manager, Who.Admin, Who.OtherTeam, Who.GroupMember, Who.GroupOwnerAsManager]),
        new("rollup", "rollup medicine", ServiceManagers),
        new("coach", $"coach add ward 7 {Target(1)}", Admins, Target: Target(1), Granted: Role.Coach, ChangesWard7: true),
        new("datalead", $"datalead add ward 7 {Target(2)}", Ward7Coaches, Target: Target(2), Granted: Role.DataLead, ChangesWard7: true),
        new("member", $"member add ward 7 {Target(3)}", Ward7Coaches, Target: Target(3), Granted: Role.Member, ChangesWard7: true),
        new("manager", $"manager add service medicine {Target(4)}", Admins, Target: Target(4), Granted: Role.Manager),
        // Before link: Ward 7 has no channel yet, so a coach hears why nothing can be sent.
        new("remind", "remind ward 7", Ward7Coaches, AnyAnswerWhenAllowed: true),
        new("link", "link ward 7", Admins, InChannel: true, ChangesWard7: true),
        new("pdsa", "pdsa ward 7", Ward7Viewers),
        new("pdsa", "pdsa P1", Ward7Viewers),
        new("pdsa", "pdsa ward 7 add Safety huddle at 14:00", Ward7Coaches, ChangesWard7: true),
        new("pdsa", "pdsa P1 cycle plan Try the huddle on two shifts", Ward7Submitters, ChangesWard7: true),
        new("pdsa", "pdsa P1 status adopted", Ward7Coaches, ChangesWard7: true),
        new("pdsa", "pdsa P2 rebase", Ward7Coaches, ChangesWard7: true),
        new("pdsa", "pdsa P2 rebase undo", Ward7Coaches, ChangesWard7: true),
        new("schedule", "schedule ward 7", Ward7Viewers),
        new("schedule", "schedule ward 7 prompt tue 08:30", Ward7Coaches, ChangesWard7: true),
        new("missing", "missing", Ward7Coaches),
        new("status", "status", Admins),
        new("redact", $"redact ward 7 {LastWeek} comment", Admins, AnyAnswerWhenAllowed: true),
    ];

    private static readonly ActionProbe[] Actions =
    [
        new("showHelp", new { }, Everybody),
        new("showBoxScore", new { teamId = TestOrganisation.Ward7, week = LastWeek }, Ward7Viewers),
        new("showReport", new { teamId = TestOrganisation.Ward7, week = LastWeek }, Ward7Viewers),
        new("editWeek", new { teamId = TestOrganisation.Ward7, week = LastWeek }, Ward7Submitters),
        new("submitWeek", new { teamId = TestOrganisation.Ward7, week = LastWeek, revision = 0 }, Ward7Submitters, AnyAnswerWhenAllowed: true),
        new("rollupMore", new { scope = "Service", scopeId = "medicine", week = LastWeek, offset = 0 }, ServiceManagers),
        new("chooseTeam", new { command = "boxscore", team = TestOrganisation.Ward7, rest = "" }, Ward7Viewers, AnswersThroughConnector: true),
        new("chooseOtherTeam", new { command = "schedule", rest = "prompt tue 08:30" }, InSomeTeam),
        new("cancelCommand", new { }, Everybody),
        new("pdsaNote", new { teamId = TestOrganisation.Ward7, testId = "P1", stage = "study", note = "Fewer falls on huddle shifts." }, Ward7Submitters),
        new("rebaseLimits", new { teamId = TestOrganisation.Ward7, testId = "P2", week = LastWeek }, Ward7Coaches),
    ];

    [GeneratedRegex(@"\bOnly\b|not part of|can't|not in any", RegexOptions.IgnoreCase)]
    private static partial Regex RefusalWords();

    public static TheoryData<Who> People => new(Everybody);

    [Fact]
    public async Task EveryCommandAndCardAction_HasARowInTheMatrix()
    {
        await using var host = StartHost(Who.Admin);
        var commands = host.Services.GetRequiredService<CommandTable>().Commands.Select(c => c.Info.Name).Order().ToList();
        var verbs = host.Services.GetRequiredService<CardActionTable>().Verbs.Order().ToList();

        Assert.Equal(commands, Commands.Select(p => p.Command).Distinct().Order().ToList());
        Assert.Equal(verbs, Actions.Select(p => p.Verb).Order().ToList());
    }

    [Theory]
    [MemberData(nameof(People))]
    public async Task Commands_ActOrRefuseClearly(Who who)
    {
        await using var host = StartHost(who);
        Seed(host);
        var user = UserFor(who);
        var directory = host.Services.GetRequiredService<TeamDirectory>();

        foreach (var probe in Commands)
        {
            host.Cloud.ClearCalls();
            var activity = probe.InChannel ? host.Activities.Channel(probe.Text, user) : host.Activities.Personal(probe.Text, user);
            if (who == Who.OtherTenant) MoveToOtherTenant(activity);

            using var response = await host.SendAsync(activity);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who} '{probe.Text}': HTTP {(int)response.StatusCode}");
            var reply = Assert.Single(await host.Cloud.WaitForCallsAsync(1, timeout: TimeSpan.FromSeconds(5)));
            var (text, isCard) = (reply.Body?["text"]?.GetValue<string>() ?? string.Empty, reply.Card is not null);
            var all = reply.Body?.ToJsonString() ?? string.Empty;
            AssertNoLeak(who, probe.Text, all);

            var expected = probe.Allowed.Contains(who) ? (probe.AnyAnswerWhenAllowed ? Expect.Answers : Expect.Acts) : Expect.Refused;
            Judge(who, probe.Text, expected, text, isCard, all);
            if (probe.Target is { } target)
            {
                var granted = directory.RolesOf(target).Any(r => r.Role == probe.Granted);
                Assert.True(granted == (expected == Expect.Acts), $"{who} '{probe.Text}': role {(granted ? "was" : "was not")} granted");
            }
            if (probe.Command == "link")
                Assert.True((directory.FindTeam(TestOrganisation.Ward7)!.ChannelConversationId is not null) == (expected == Expect.Acts), $"{who} '{probe.Text}': channel binding");
        }

        // Every change made was audited; nothing was changed by anyone without the role.
        // With Graph on, "datalead add" also tries to install the bot for the data lead: that attempt is audited on its own.
        var changes = host.Services.GetRequiredService<AuditLog>().ForTeam(TestOrganisation.Ward7)
            .Where(e => e.ActorId == user.AadObjectId && !e.Action.StartsWith("install-bot", StringComparison.Ordinal)).ToList();
        Assert.True(Commands.Count(p => p.ChangesWard7 && p.Allowed.Contains(who)) == changes.Count, $"{who}: audited {string.Join(", ", changes.Select(c => c.Subject + ":" + c.Action))}");
    }

    /// <summary>
    /// A guess ("did you mean"), a suggestion or a list of what exists names only teams, services and boards the caller
    /// may see: someone with no role in Ward 8 never learns that it exists from a typo.
    /// </summary>
    [Theory]
    [MemberData(nameof(People))]
    public async Task Guesses_NameOnlyWhatTheCallerMaySee(Who who)
    {
        await using var host = StartHost(who);
        Seed(host);
        var user = UserFor(who);
        var hidden = new List<string>();
        if (!Ward7Viewers.Contains(who)) hidden.AddRange(["Ward 7", TestOrganisation.Ward7]);
        if (!Ward8Viewers.Contains(who)) hidden.AddRange(["Ward 8", TestOrganisation.Ward8]);

        foreach (var text in Guesses)
        {
            host.Cloud.ClearCalls();
            var activity = host.Activities.Personal(text, user);
            if (who == Who.OtherTenant) MoveToOtherTenant(activity);

            using var response = await host.SendAsync(activity);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who} '{text}': HTTP {(int)response.StatusCode}");
            var reply = Assert.Single(await host.Cloud.WaitForCallsAsync(1, timeout: TimeSpan.FromSeconds(5)));
            var all = reply.Body?.ToJsonString() ?? string.Empty;
            AssertNoLeak(who, text, all);
            foreach (var name in hidden.Concat(text.StartsWith("rollup", StringComparison.Ordinal) && !ServiceManagers.Contains(who) ? ["Medicine", "NHS Highland"] : []))
                Assert.False(all.Contains(name, StringComparison.OrdinalIgnoreCase), $"{who} '{text}' was told of {name}: {Shorten(all)}");
        }
    }

    [Theory]
    [MemberData(nameof(People))]
    public async Task CardActions_ActOrRefuseClearly(Who who)
    {
        await using var host = StartHost(who);
        Seed(host);
        var user = UserFor(who);

        foreach (var probe in Actions)
        {
            host.Cloud.ClearCalls();
            var activity = host.Activities.Invoke(probe.Verb, probe.Data, user);
            if (who == Who.OtherTenant) MoveToOtherTenant(activity);

            using var response = await host.SendAsync(activity);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who} '{probe.Verb}': HTTP {(int)response.StatusCode}");
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(200, body?["statusCode"]?.GetValue<int>());
            var expected = probe.Allowed.Contains(who) ? (probe.AnyAnswerWhenAllowed ? Expect.Answers : Expect.Acts) : Expect.Refused;

            if (probe.AnswersThroughConnector)
            {
                var reply = Assert.Single(await host.Cloud.WaitForCallsAsync(1, timeout: TimeSpan.FromSeconds(5)));
                var all = reply.Body?.ToJsonString() ?? string.Empty;
                AssertNoLeak(who, probe.Verb, all);
                Judge(who, probe.Verb, expected, reply.Body?["text"]?.GetValue<string>() ?? string.Empty, reply.Card is not null, all);
                continue;
            }

            var type = body?["type"]?.GetValue<string>();
            var isCard = type == "application/vnd.microsoft.card.adaptive";
            var text = isCard ? string.Empty : body?["value"]?.GetValue<string>() ?? string.Empty;
            var json = body!.ToJsonString();
            AssertNoLeak(who, probe.Verb, json);
            Judge(who, probe.Verb, expected, text, isCard, json);
        }
    }

    private static void Judge(Who who, string what, Expect expected, string text, bool isCard, string all)
    {
        Assert.True(isCard || !string.IsNullOrWhiteSpace(text), $"{who} '{what}': an empty answer");
        switch (expected)
        {
            case Expect.Acts:
                Assert.True(isCard || !RefusalWords().IsMatch(text), $"{who} '{what}': expected the action, got \"{text}\"");
                break;
            case Expect.Refused:
                Assert.False(isCard, $"{who} '{what}': expected a refusal, got a card: {Shorten(all)}");
                Assert.Matches(RefusalWords(), text);
                break;
        }
    }

    /// <summary>No stack trace, and someone outside Ward 7 never sees its people's names.</summary>
    private static void AssertNoLeak(Who who, string what, string all)
    {
        Assert.DoesNotContain("Exception", all, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
        if (!Ward7Viewers.Contains(who))
            Assert.False(all.Contains(TestUser.NurseJones.Name, StringComparison.Ordinal), $"{who} '{what}' saw Ward 7's data lead: {Shorten(all)}");
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static TestUser UserFor(Who who) => who switch
    {
        Who.Member => MemberMo,
        Who.DataLead => TestUser.NurseJones,
        Who.Coach => TestUser.CoachPatel,
        Who.Manager => TestUser.ManagerMoss,
        Who.Admin => TestUser.AdminGrant,
        Who.Stranger => TestUser.Stranger,
        Who.OtherTeam => OtherTeamOlu,
        Who.GroupMember => GroupGwen,
        Who.GroupOwner or Who.GroupOwnerAsManager => OwnerOwen,
        _ => OtherTenantTess,
    };

    /// <summary>
    /// Graph on, Ward 7 linked to the Teams team whose group has Gwen as a member and Owen as its owner
    /// only (an owner Teams does not list among the members); the owner is a manager only when configured.
    /// </summary>
    private BotTestHost StartHost(Who who)
    {
        var host = environment.StartHost(new Dictionary<string, string?>
        {
            ["Access:TeamOwnersAreManagers"] = who == Who.GroupOwnerAsManager ? "true" : "false",
        });
        environment.Graph.SetGroup(new FakeGraphGroup(TestActivities.TeamAadGroupId, [GroupGwen.AadObjectId, TestUser.NurseJones.AadObjectId], [OwnerOwen.AadObjectId]));
        return host;
    }

    private static void MoveToOtherTenant(JsonObject activity)
    {
        activity["conversation"]!["tenantId"] = OtherTenantId;
        activity["channelData"]!["tenant"]!["id"] = OtherTenantId;
    }

    /// <summary>The test organisation, with a member of Ward 7, a member of Ward 8, Ward 7's test of change P1 and its adopted change P2 for falls.</summary>
    private static void Seed(BotTestHost host)
    {
        // The group id the channel activities carry, so linking Ward 7 in the matrix keeps the same group.
        TestOrganisation.Seed(host, ward7GroupId: TestActivities.TeamAadGroupId);
        var directory = host.Services.GetRequiredService<TeamDirectory>();
        var setup = new Actor("test", "test setup");
        directory.Grant(new RoleAssignment(MemberMo.AadObjectId, MemberMo.Name, Role.Member, RoleScopeKind.Team, TestOrganisation.Ward7), setup);
        directory.Grant(new RoleAssignment(OtherTeamOlu.AadObjectId, OtherTeamOlu.Name, Role.Member, RoleScopeKind.Team, TestOrganisation.Ward8), setup);
        var tests = host.Services.GetRequiredService<TestOfChangeStore>();
        Assert.NotNull(tests.Add(TestOrganisation.Ward7, "Falls huddle", null, setup).Value);
        Assert.NotNull(tests.SetStatus(tests.Add(TestOrganisation.Ward7, "Bay-side huddles", "falls", setup).Value!, Core.Improvement.TestOfChangeStatus.Adopted, setup).Value);
    }
}
