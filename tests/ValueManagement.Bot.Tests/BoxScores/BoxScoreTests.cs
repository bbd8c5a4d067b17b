using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Capture;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.BoxScores;

/// <summary>Box score, report-out and roll-up end to end through /api/messages.</summary>
public sealed class BoxScoreTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
    // Monday 30 November 2026, 09:14 in London: the last completed week is 2026-W48.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 14, 0, TimeSpan.Zero));
    private BotTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(_time));
        TestOrganisation.Seed(_host);
        var store = _host.Services.GetRequiredService<SubmissionStore>();
        var by = new Submitter(TestUser.NurseJones.AadObjectId, TestUser.NurseJones.Name);
        store.Submit(TestOrganisation.Ward7, IsoWeek.Parse("2026-W47"), new SubmissionProposal(new Dictionary<string, double?>
        {
            ["falls"] = 2, ["payCost"] = 11000, ["nonPayCost"] = 2000, ["patientsAdmitted"] = 26, ["sicknessAbsence"] = 4.5,
        }, null, by, 0), "test");
        store.Submit(TestOrganisation.Ward7, IsoWeek.Parse("2026-W48"), new SubmissionProposal(new Dictionary<string, double?>
        {
            ["falls"] = 5, ["payCost"] = 10000, ["nonPayCost"] = 2000, ["patientsAdmitted"] = 30, ["sicknessAbsence"] = 3.9,
        }, null, by, 0), "test");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Text as it appears in serialised JSON, where £ and ▲ are escaped.</summary>
    private static string Json(string text) => System.Text.Json.JsonEncodedText.Encode(text).ToString();

    [Fact]
    public async Task BoxScoreCommand_RepliesWithTheCardForLastWeek()
    {
        await _host.SendAsync(_host.Activities.Personal("boxscore ward 7"));

        var card = Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!.ToJsonString();
        Assert.Contains("Ward 7: box score, week 2026-W48", card, StringComparison.Ordinal);
        Assert.Contains(Json("£400.00"), card, StringComparison.Ordinal); // 12,000 / 30 this week
        Assert.Contains(Json("£500.00"), card, StringComparison.Ordinal); // 13,000 / 26 last week
        Assert.Contains("Off target", card, StringComparison.Ordinal); // 5 falls against 1
        Assert.Contains(Json("▲ 3 worse"), card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoxScoreCommand_NamedWeek()
    {
        await _host.SendAsync(_host.Activities.Personal("boxscore ward 7 2026-W47"));

        var card = Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!.ToJsonString();
        Assert.Contains("week 2026-W47", card, StringComparison.Ordinal);
        Assert.Contains(Json("£500.00"), card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoxScoreCommand_Stranger_IsRefused()
    {
        await _host.SendAsync(_host.Activities.Personal("boxscore ward 7", from: TestUser.Stranger));

        var call = Assert.Single(await _host.Cloud.WaitForCallsAsync(1));
        Assert.Null(call.Card);
        Assert.Contains(Json("You're not part of Ward 7"), call.Body!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowBoxScoreInvoke_ReturnsTheCard_AndRefusesAStranger()
    {
        var data = new Dictionary<string, object?> { ["teamId"] = TestOrganisation.Ward7, ["week"] = "2026-W48" };

        var body = await _host.InvokeAsync(_host.Activities.Invoke(BoxScoreVerbs.ShowBoxScore, data));
        Assert.Equal("application/vnd.microsoft.card.adaptive", body!["type"]!.GetValue<string>());
        Assert.Contains(Json("£400.00"), body["value"]!.ToJsonString(), StringComparison.Ordinal);

        var refused = await _host.InvokeAsync(_host.Activities.Invoke(BoxScoreVerbs.ShowBoxScore, data, from: TestUser.Stranger));
        Assert.Equal("application/vnd.microsoft.activity.message", refused!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReportCommand_RepliesWithTheReportOut()
    {
        await _host.SendAsync(_host.Activities.Personal("report ward 7", from: TestUser.CoachPatel));

        var card = Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!.ToJsonString();
        Assert.Contains("Report-out: Ward 7, week 2026-W48", card, StringComparison.Ordinal);
        Assert.Contains("The box score in brief", card, StringComparison.Ordinal);
        Assert.Contains("Falls", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollupCommand_ShowsTheManagerTheServiceWithWard7First()
    {
        await _host.SendAsync(_host.Activities.Personal("rollup medicine", from: TestUser.ManagerMoss));

        var card = Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!.ToJsonString();
        Assert.Contains("Medicine: roll-up, week 2026-W48", card, StringComparison.Ordinal);
        Assert.True(card.IndexOf("Ward 7", StringComparison.Ordinal) < card.IndexOf("Ward 8", StringComparison.Ordinal));
        Assert.Contains(Json("£400.00"), card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollupCommand_WithoutArguments_UsesTheOnlyServiceTheManagerManages()
    {
        await _host.SendAsync(_host.Activities.Personal("rollup", from: TestUser.ManagerMoss));

        var card = Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!.ToJsonString();
        Assert.Contains("Medicine: roll-up", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollupCommand_IsRefusedForADataLead()
    {
        await _host.SendAsync(_host.Activities.Personal("rollup medicine", from: TestUser.NurseJones));

        var call = Assert.Single(await _host.Cloud.WaitForCallsAsync(1));
        Assert.Null(call.Card);
        Assert.Contains("Only managers of Medicine", call.Body!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RollupMoreInvoke_ChecksPermissionAgain()
    {
        var data = new Dictionary<string, object?> { ["scope"] = "Service", ["scopeId"] = "medicine", ["week"] = "2026-W48", ["offset"] = 0 };

        var body = await _host.InvokeAsync(_host.Activities.Invoke(BoxScoreVerbs.RollupMore, data, from: TestUser.AdminGrant));
        Assert.Equal("application/vnd.microsoft.card.adaptive", body!["type"]!.GetValue<string>());

        var refused = await _host.InvokeAsync(_host.Activities.Invoke(BoxScoreVerbs.RollupMore, data, from: TestUser.Stranger));
        Assert.Equal("application/vnd.microsoft.activity.message", refused!["type"]!.GetValue<string>());
    }
}
