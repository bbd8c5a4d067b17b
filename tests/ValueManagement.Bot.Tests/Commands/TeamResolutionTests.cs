using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.Scheduling;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.Commands;

/// <summary>
/// A team guessed from a typo is confirmed before a command changes anything; the cards that ask which team
/// carry the whole command, so choosing a team finishes it; a measure typo gets "did you mean".
/// </summary>
public sealed class TeamResolutionTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>
{
    private const string Person = "cccccccc-0000-4000-8000-000000000001";
    private static readonly WeeklyTime MondayNine = new(DayOfWeek.Monday, new TimeOnly(9, 0));
    private static readonly WeeklyTime TuesdayHalfEight = new(DayOfWeek.Tuesday, new TimeOnly(8, 30));

    private static async Task<ConnectorCall> SayAsync(BotTestHost host, string text, TestUser from, bool inChannel = false)
    {
        host.Cloud.ClearCalls();
        await host.SendAsync(inChannel ? host.Activities.Channel(text, from) : host.Activities.Personal(text, from));
        return Assert.Single(await host.Cloud.WaitForCallsAsync(1));
    }

    private static string Text(ConnectorCall call) => call.Body?["text"]?.GetValue<string>() ?? string.Empty;

    /// <summary>The Action.Execute buttons of a card, with their titles, verbs and data.</summary>
    private static List<(string Title, string Verb, JsonNode Data)> Buttons(JsonNode card) =>
        Descendants(card)
            .Where(n => n["type"]?.GetValue<string>() == "Action.Execute")
            .Select(n => (n["title"]!.GetValue<string>(), n["verb"]!.GetValue<string>(), n["data"]!))
            .ToList();

    private static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var (_, child) in o)
                    foreach (var d in Descendants(child)) yield return d;
                break;
            case JsonArray a:
                foreach (var child in a)
                    foreach (var d in Descendants(child)) yield return d;
                break;
        }
    }

    /// <summary>Presses a button as <paramref name="by"/>: the invoke's own answer, and what the command it ran sent.</summary>
    private static async Task<(JsonNode? Response, IReadOnlyList<ConnectorCall> Sent)> PressAsync(BotTestHost host, (string Title, string Verb, JsonNode Data) button, TestUser by, bool expectMessage = true, bool inChannel = false)
    {
        host.Cloud.ClearCalls();
        var activity = inChannel
            ? host.Activities.Invoke(button.Verb, button.Data.DeepClone(), by, TestActivities.ChannelThreadId, conversationType: "channel")
            : host.Activities.Invoke(button.Verb, button.Data.DeepClone(), by);
        var response = await host.InvokeAsync(activity);
        return (response, expectMessage ? await host.Cloud.WaitForCallsAsync(1) : []);
    }

    [Fact]
    public async Task ScheduleWithATypo_AsksFirst_ChangesOnlyWhenConfirmed_AndChecksWhoPressed()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        var schedules = host.Services.GetRequiredService<TeamScheduleStore>();

        var asked = await SayAsync(host, "schedule wrad 7 prompt tue 08:30", TestUser.CoachPatel);

        Assert.NotNull(asked.Card);
        Assert.Contains("Did you mean Ward 7?", asked.Card!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(MondayNine, schedules.For(TestOrganisation.Ward7).Prompt);
        Assert.Empty(host.Services.GetRequiredService<AuditLog>().ForSubject("schedule", TestOrganisation.Ward7));
        var buttons = Buttons(asked.Card!);
        Assert.Equal(["Yes, Ward 7", "Choose another team", "Cancel"], buttons.Select(b => b.Title));

        // Pressed by someone who may not change the schedule: refused, nothing changed.
        var (_, refused) = await PressAsync(host, buttons[0], TestUser.NurseJones);
        Assert.Contains("Only Ward 7's improvement coach or an admin", Text(refused[0]), StringComparison.Ordinal);
        Assert.Equal(MondayNine, schedules.For(TestOrganisation.Ward7).Prompt);

        var (_, done) = await PressAsync(host, buttons[0], TestUser.CoachPatel);
        Assert.Contains("Done: Ward 7's prompt is now Tuesday 08:30", Text(done[0]), StringComparison.Ordinal);
        Assert.Equal(TuesdayHalfEight, schedules.For(TestOrganisation.Ward7).Prompt);
        Assert.Single(host.Services.GetRequiredService<AuditLog>().ForSubject("schedule", TestOrganisation.Ward7));
    }

    [Fact]
    public async Task ConfirmCard_CancelChangesNothing_ChooseAnotherOffersTheCallersTeamsWithTheWholeCommand()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        var schedules = host.Services.GetRequiredService<TeamScheduleStore>();
        var buttons = Buttons((await SayAsync(host, "schedule wrad 7 prompt tue 08:30", TestUser.CoachPatel)).Card!);

        var (cancelled, _) = await PressAsync(host, buttons[2], TestUser.CoachPatel, expectMessage: false);
        Assert.Contains("Cancelled: nothing was changed.", cancelled!.ToJsonString(), StringComparison.Ordinal);

        var (chooser, _) = await PressAsync(host, buttons[1], TestUser.CoachPatel, expectMessage: false);
        var teams = Buttons(chooser!["value"]!);
        Assert.Equal(["Ward 7", "Ward 8"], teams.Select(b => b.Title).Order());
        var (_, done) = await PressAsync(host, teams.Single(b => b.Title == "Ward 8"), TestUser.CoachPatel);
        Assert.Contains("Done: Ward 8's prompt is now Tuesday 08:30", Text(done[0]), StringComparison.Ordinal);
        Assert.Equal(TuesdayHalfEight, schedules.For(TestOrganisation.Ward8).Prompt);
        Assert.Equal(MondayNine, schedules.For(TestOrganisation.Ward7).Prompt);
    }

    [Theory]
    [InlineData("remind wrad 7")]
    [InlineData("pdsa wrad 7 add Safety huddle")]
    [InlineData("member add wrad 7 " + Person)]
    [InlineData("datalead remove wrad 7 Sister Jones")]
    [InlineData("coach add wrad 7 " + Person)]
    public async Task EveryChangingCommand_ConfirmsAGuessedTeam_BeforeDoingAnything(string command)
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        var auditBefore = host.Services.GetRequiredService<AuditLog>().ForTeam(TestOrganisation.Ward7).Count;

        var asked = await SayAsync(host, command, TestUser.AdminGrant);

        Assert.True(asked.Card is not null, $"'{command}' answered \"{Text(asked)}\"");
        Assert.Contains("Did you mean Ward 7?", asked.Card!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(auditBefore, host.Services.GetRequiredService<AuditLog>().ForTeam(TestOrganisation.Ward7).Count);
        Assert.Empty(host.Services.GetRequiredService<TestOfChangeStore>().ForTeam(TestOrganisation.Ward7));
    }

    [Fact]
    public async Task LinkWithATypo_Confirms_ThenLinksTheChannel()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        var directory = host.Services.GetRequiredService<TeamDirectory>();

        var asked = await SayAsync(host, "link wrad 7", TestUser.AdminGrant, inChannel: true);
        Assert.NotNull(asked.Card);
        Assert.Null(directory.FindTeam(TestOrganisation.Ward7)!.ChannelConversationId);

        var (_, done) = await PressAsync(host, Buttons(asked.Card!)[0], TestUser.AdminGrant, inChannel: true);
        Assert.Contains("this channel is now **Ward 7**'s", Text(done[0]), StringComparison.Ordinal);
        Assert.NotNull(directory.FindTeam(TestOrganisation.Ward7)!.ChannelConversationId);
    }

    [Fact]
    public async Task ExactNamesGoStraightThrough_ReadOnlyCommandsStayForgiving()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var changed = await SayAsync(host, "schedule respiratory prompt tue 08:30", TestUser.CoachPatel);
        Assert.Contains("Done: Ward 7's prompt is now Tuesday 08:30", Text(changed), StringComparison.Ordinal);

        var report = await SayAsync(host, "boxscore wrad 7", TestUser.NurseJones);
        Assert.NotNull(report.Card);
        Assert.DoesNotContain("Did you mean", report.Card!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("Ward 7", report.Card!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberAdd_UnknownTeam_ChoosingATeamKeepsThePerson()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        var directory = host.Services.GetRequiredService<TeamDirectory>();

        var asked = await SayAsync(host, $"member add ward 99 {Person}", TestUser.AdminGrant);
        var ward8 = Buttons(asked.Card!).Single(b => b.Title == "Ward 8");
        var (_, done) = await PressAsync(host, ward8, TestUser.AdminGrant);

        Assert.Contains("is now a member of **Ward 8**", Text(done[0]), StringComparison.Ordinal);
        Assert.Contains(directory.RolesOf(Person), r => r.Role == Role.Member && r.ScopeId == TestOrganisation.Ward8);
    }

    [Fact]
    public async Task MemberAdd_ByName_ThroughTheChooser_KeepsTheName()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        var directory = host.Services.GetRequiredService<TeamDirectory>();

        // Sister Jones already holds a role, so her name is enough; "ward 99" is no team.
        var asked = await SayAsync(host, "member add ward 99 Sister Jones", TestUser.CoachPatel);
        var ward8 = Buttons(asked.Card!).Single(b => b.Title == "Ward 8");
        var (_, done) = await PressAsync(host, ward8, TestUser.CoachPatel);

        Assert.Contains("**Sister Jones** is now a member of **Ward 8**", Text(done[0]), StringComparison.Ordinal);
        Assert.Contains(directory.RolesOf(TestUser.NurseJones.AadObjectId), r => r.Role == Role.Member && r.ScopeId == TestOrganisation.Ward8);
    }

    [Fact]
    public async Task MemberAdd_ByMention_ThroughTheConfirmCard_KeepsTheNameAndId()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        var directory = host.Services.GetRequiredService<TeamDirectory>();

        var activity = host.Activities.Personal("member add wrad 7 <at>Pat New</at>", TestUser.AdminGrant);
        activity["entities"] = new JsonArray(new JsonObject
        {
            ["type"] = "mention",
            ["text"] = "<at>Pat New</at>",
            ["mentioned"] = new JsonObject { ["id"] = "29:patnew", ["name"] = "Pat New", ["aadObjectId"] = Person },
        });
        host.Cloud.ClearCalls();
        await host.SendAsync(activity);
        var asked = Assert.Single(await host.Cloud.WaitForCallsAsync(1));
        var (_, done) = await PressAsync(host, Buttons(asked.Card!)[0], TestUser.AdminGrant);

        Assert.Contains("**Pat New** is now a member of **Ward 7**", Text(done[0]), StringComparison.Ordinal);
        Assert.Contains(directory.RolesOf(Person), r => r.Role == Role.Member && r.ScopeId == TestOrganisation.Ward7 && r.DisplayName == "Pat New");
    }

    [Theory]
    [InlineData("schedule ward 99 prompt tue 08:30", "Done: Ward 8's prompt is now Tuesday 08:30")]
    [InlineData("pdsa ward 99 add Safety huddle", "Started **P1**: Safety huddle for **Ward 8**")]
    [InlineData("datalead add ward 99 " + Person, "is now a data lead of **Ward 8**")]
    public async Task TheChooser_CarriesTheRestOfTheCommand(string command, string expected)
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);

        var asked = await SayAsync(host, command, TestUser.AdminGrant);
        Assert.True(asked.Card is not null, $"'{command}' answered \"{Text(asked)}\"");
        var (_, done) = await PressAsync(host, Buttons(asked.Card!).Single(b => b.Title == "Ward 8"), TestUser.AdminGrant);

        Assert.Contains(expected, Text(done[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PdsaAdd_ForAMeasureTypo_IsRefusedWithDidYouMean_AndStartsNothing()
    {
        await using var host = environment.StartHost();
        TestOrganisation.Seed(host);
        var tests = host.Services.GetRequiredService<TestOfChangeStore>();

        var refused = await SayAsync(host, "pdsa ward 7 add Safety huddle for fallz", TestUser.CoachPatel);
        Assert.Contains("no measure called \"fallz\"", Text(refused), StringComparison.Ordinal);
        Assert.Contains("Did you mean: **falls**", Text(refused), StringComparison.Ordinal);
        Assert.Empty(tests.ForTeam(TestOrganisation.Ward7));

        // Words that name no measure at all are part of the title, as before.
        var started = await SayAsync(host, "pdsa ward 7 add Safety huddle for night staff", TestUser.CoachPatel);
        Assert.Contains("Safety huddle for night staff", Text(started), StringComparison.Ordinal);
        var measured = await SayAsync(host, "pdsa ward 7 add Bay huddle for falls", TestUser.CoachPatel);
        Assert.Contains("(measure: ", Text(measured), StringComparison.Ordinal);
        Assert.Equal(2, tests.ForTeam(TestOrganisation.Ward7).Count);
    }
}
