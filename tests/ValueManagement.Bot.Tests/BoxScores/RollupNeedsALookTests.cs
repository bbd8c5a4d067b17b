using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Capture;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.BoxScores;

/// <summary>
/// The roll-up counts the teams a manager acts on, says what it counts, and gives every team row a visible button to
/// its box score (permission-checked as the box score is), through /api/messages.
/// </summary>
public sealed class RollupNeedsALookTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
    // Monday 30 November 2026, 09:14 in London: the last completed week is 2026-W48.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 14, 0, TimeSpan.Zero));
    private BotTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = environment.StartHost(configureServices: services => services.AddSingleton<TimeProvider>(_time));
        TestOrganisation.Seed(_host);
        var last = IsoWeek.Parse("2026-W48");
        // Ward 7: falls around 2 for a year, then 6 and 7 in the last two weeks: off target, and a real change for the
        // worse (above the upper limit). Ward 8: 3 falls a week, every week off target (target 1), but no change: noise.
        TestOrganisation.StoreWard7Weeks(_host, last, [.. Enumerable.Range(0, 18).Select(i => 2.0 + i % 2 - (i % 5 == 0 ? 1 : 0)), 6, 7]);
        var store = _host.Services.GetRequiredService<SubmissionStore>();
        var by = new Submitter(TestUser.NurseJones.AadObjectId, TestUser.NurseJones.Name);
        for (var i = 0; i < 20; i++)
        {
            store.Submit(TestOrganisation.Ward8, last.AddWeeks(i - 19), new SubmissionProposal(new Dictionary<string, double?>
            {
                ["falls"] = 3 + i % 2, ["payCost"] = 10000, ["nonPayCost"] = 2000, ["patientsAdmitted"] = 30, ["sicknessAbsence"] = 4,
            }, null, by, 0), "test");
        }
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonNode> RollupAsync(TestUser from)
    {
        _host.Cloud.ClearCalls();
        using var response = await _host.SendAsync(_host.Activities.Personal("rollup medicine", from));
        response.EnsureSuccessStatusCode();
        return Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!;
    }

    /// <summary>Every Action.Execute in an ActionSet of the card's body (buttons a reader sees, not a whole-row click).</summary>
    private static List<JsonNode> Buttons(JsonNode card) =>
        card["body"]!.AsArray().SelectMany(Descendants)
            .Where(n => n["type"]?.GetValue<string>() == "ActionSet")
            .SelectMany(n => n["actions"]!.AsArray()!)
            .Select(n => n!)
            .ToList();

    private static IEnumerable<JsonNode> Descendants(JsonNode? node)
    {
        if (node is JsonObject o)
        {
            yield return o;
            foreach (var (_, value) in o)
                foreach (var d in Descendants(value)) yield return d;
        }
        else if (node is JsonArray a)
        {
            foreach (var item in a)
                foreach (var d in Descendants(item)) yield return d;
        }
    }

    [Fact]
    public async Task Rollup_CountsOnlyTheTeamWithARealChangeForTheWorse_AndSaysWhatItCounts()
    {
        var json = (await RollupAsync(TestUser.ManagerMoss)).ToJsonString();

        Assert.Contains("1 of 2 teams need a look", json, StringComparison.Ordinal);
        Assert.Contains("a measure worsening for real this week (a special cause of concern), or the headline off target two weeks running", json, StringComparison.Ordinal);
        Assert.Contains(JsonEncodedText.Encode("⚑ Ward 7").ToString(), json, StringComparison.Ordinal);
        Assert.DoesNotContain(JsonEncodedText.Encode("⚑ Ward 8").ToString(), json, StringComparison.Ordinal);
        Assert.Contains(JsonEncodedText.Encode("Needs a look: Falls (⊖ worsening)").ToString(), json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryTeamRow_HasAVisibleBoxScoreButton_ThatOpensTheBoxScore_PermissionChecked()
    {
        var buttons = Buttons(await RollupAsync(TestUser.ManagerMoss));

        var forTeams = buttons.Where(b => b["verb"]?.GetValue<string>() == BoxScoreVerbs.ShowBoxScore).ToList();
        Assert.Equal(["Ward 7 box score", "Ward 8 box score"], forTeams.Select(b => b["title"]!.GetValue<string>()).Order());
        Assert.All(forTeams, b => Assert.Equal("Action.Execute", b["type"]!.GetValue<string>()));

        var ward8 = forTeams.Single(b => b["title"]!.GetValue<string>() == "Ward 8 box score");
        var data = JsonSerializer.Deserialize<Dictionary<string, object?>>(ward8["data"]!.ToJsonString())!;
        var opened = await _host.InvokeAsync(_host.Activities.Invoke(BoxScoreVerbs.ShowBoxScore, data, from: TestUser.ManagerMoss));
        Assert.Equal("application/vnd.microsoft.card.adaptive", opened!["type"]!.GetValue<string>());
        Assert.Contains("Ward 8: box score, week 2026-W48", opened["value"]!.ToJsonString(), StringComparison.Ordinal);

        var refused = await _host.InvokeAsync(_host.Activities.Invoke(BoxScoreVerbs.ShowBoxScore, data, from: TestUser.Stranger));
        Assert.Equal("application/vnd.microsoft.activity.message", refused!["type"]!.GetValue<string>());
    }
}
