using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Capture;
using ValueManagement.Testing.BotFramework;
using ValueManagement.Testing.Cards;

namespace ValueManagement.Bot.Tests.BoxScores;

/// <summary>
/// How the box score, report-out and roll-up the bot sends through /api/messages read: a table at standard widths and
/// a stacked list on phones (Teams' targetWidth), one meaning per symbol with a key, percentage changes in points, and
/// every text at WCAG AA contrast in Teams' light, dark and high-contrast themes.
/// </summary>
public sealed class CardViewTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
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

    private async Task<JsonNode> CardFor(string text, TestUser from)
    {
        await _host.SendAsync(_host.Activities.Personal(text, from: from));
        return Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!;
    }

    [Fact]
    public async Task BoxScore_TableAtStandardWidth_StackedListOnPhones_WithTheSameMeasures()
    {
        var card = await CardFor("boxscore ward 7", TestUser.NurseJones);

        var table = Assert.Single(Elements(card), e => Type(e) == "Table");
        Assert.Equal("atLeast:standard", (string?)table["targetWidth"]);
        var stacked = Assert.Single(Elements(card), e => (string?)e["targetWidth"] == "atMost:narrow");
        Assert.DoesNotContain(Elements(stacked), e => Type(e) is "Table" or "FactSet" or "ColumnSet");
        var stackedText = string.Join("\n", Elements(stacked).Select(e => (string?)e["text"]));
        Assert.Contains("Falls: ✖ 5 · target 1", stackedText, StringComparison.Ordinal);
        Assert.Contains("Last week 2 · ▲ 3 worse", stackedText, StringComparison.Ordinal);
        Assert.Contains("▼ 0.6 points better", stackedText, StringComparison.Ordinal); // sickness absence 4.5% to 3.9%
        Assert.DoesNotContain("0.6%", card.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportOut_FactsAtStandardWidth_StackedOnPhones()
    {
        var card = await CardFor("report ward 7", TestUser.CoachPatel);

        Assert.Equal("atLeast:standard", (string?)Assert.Single(Elements(card), e => Type(e) == "FactSet")["targetWidth"]);
        var stacked = Assert.Single(Elements(card), e => (string?)e["targetWidth"] == "atMost:narrow");
        Assert.Contains(Elements(stacked), e => (string?)e["text"] == "Falls");
    }

    [Theory]
    [InlineData("boxscore ward 7", "NurseJones")]
    [InlineData("report ward 7", "CoachPatel")]
    [InlineData("rollup medicine", "ManagerMoss")]
    public async Task Cards_ReadTheSameInEveryTheme_AndSayWhatTheirSymbolsMean(string command, string user)
    {
        var card = await CardFor(command, User(user));
        var texts = Elements(card).SelectMany(e => new[] { (string?)e["text"] }.Concat((e["inlines"] as JsonArray ?? []).Select(r => (string?)r?["text"])))
            .OfType<string>().ToList();

        foreach (var theme in TeamsTheme.All)
        {
            var problems = CardContrast.Check(card.ToJsonString(), theme);
            Assert.True(problems.Count == 0, $"{command} in the {theme.Name} theme:\n" + string.Join("\n", problems));
        }
        var key = Assert.Single(texts, t => t.StartsWith("Key: ", StringComparison.Ordinal));
        Assert.Contains("▲ ▼ ▶ up, down, level since last week", key, StringComparison.Ordinal);
        Assert.DoesNotContain(texts, t => t.Contains("▲ improving", StringComparison.Ordinal) || t.Contains("▼ worsening", StringComparison.Ordinal));
        Assert.DoesNotContain("\"color\":\"good\"", card.ToJsonString(), StringComparison.Ordinal);
    }

    private static TestUser User(string name) => name switch
    {
        "NurseJones" => TestUser.NurseJones,
        "CoachPatel" => TestUser.CoachPatel,
        "ManagerMoss" => TestUser.ManagerMoss,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>Every element under a node: body items, container items, table cells' items.</summary>
    private static IEnumerable<JsonObject> Elements(JsonNode node)
    {
        foreach (var key in new[] { "body", "items" })
        {
            if (node[key] is not JsonArray children) continue;
            foreach (var child in children.OfType<JsonObject>())
            {
                yield return child;
                foreach (var below in Elements(child)) yield return below;
            }
        }
        if (node["rows"] is JsonArray rows)
        {
            foreach (var cell in rows.SelectMany(r => r?["cells"] as JsonArray ?? []).OfType<JsonObject>())
                foreach (var below in Elements(cell)) yield return below;
        }
    }

    private static string? Type(JsonObject element) => (string?)element["type"];
}
