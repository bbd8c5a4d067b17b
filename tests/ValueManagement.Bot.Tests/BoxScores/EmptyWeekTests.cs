using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Submissions;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Capture;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.BoxScores;

/// <summary>
/// A week without a value (a blank optional measure, finance not yet imported, a derived measure missing an input) has
/// no rating and no signal of its own on the box score, the report-out and the roll-up, through /api/messages.
/// </summary>
public sealed class EmptyWeekTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
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
        var last = IsoWeek.Parse("2026-W48");
        // Twenty weeks of steady cost and falls; W47 costs far less than ever (below the lower limit: an improvement
        // signal on W47). In W48 only admissions and sickness are in: falls blank, finance not imported yet.
        for (var i = 0; i < 20; i++)
        {
            var week = last.AddWeeks(i - 20);
            var pay = i == 19 ? 6000 : 10000 + 150 * (i % 3) - 100 * (i % 2);
            store.Submit(TestOrganisation.Ward7, week, new SubmissionProposal(new Dictionary<string, double?>
            {
                ["falls"] = 2 + i % 3, ["payCost"] = pay, ["nonPayCost"] = 2000, ["patientsAdmitted"] = 30, ["sicknessAbsence"] = 4 + 0.1 * (i % 4),
            }, null, by, 0), "test");
        }
        store.Submit(TestOrganisation.Ward7, last, new SubmissionProposal(new Dictionary<string, double?>
        {
            ["patientsAdmitted"] = 30, ["sicknessAbsence"] = 4.1,
        }, null, by, 0), "test");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Json(string text) => JsonEncodedText.Encode(text).ToString();

    private async Task<string> CardAsync(string text, TestUser from)
    {
        _host.Cloud.ClearCalls();
        using var response = await _host.SendAsync(_host.Activities.Personal(text, from));
        response.EnsureSuccessStatusCode();
        return Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!.ToJsonString();
    }

    private static void AssertNoRatingOrSignalForTheEmptyWeek(string card, bool measuresWithoutTargetShown = false)
    {
        if (!measuresWithoutTargetShown) Assert.DoesNotContain("No target", card, StringComparison.Ordinal); // every measure shown with a blank week has a target
        Assert.DoesNotContain("latest week below the lower limit", card, StringComparison.Ordinal);
        Assert.DoesNotContain(Json("⊕ improving: "), card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoxScore_TheHeadlineAndABlankMeasure_SayTheWeekHasNoValue_NoRatingNoSignal()
    {
        var card = await CardAsync("boxscore ward 7", TestUser.NurseJones);

        Assert.Contains("Ward 7: box score, week 2026-W48", card, StringComparison.Ordinal);
        AssertNoRatingOrSignalForTheEmptyWeek(card);
        Assert.Contains(Json("○ Not rated: no value this week"), card, StringComparison.Ordinal); // the derived headline
        Assert.Contains("not recorded", card, StringComparison.Ordinal); // falls
        Assert.Contains("awaiting finance data", card, StringComparison.Ordinal); // pay cost
        // The last value's signal may be shown, dated as that week's.
        Assert.Contains(Json("no value this week; last value 2026-W47: ⊕ improving"), card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportOut_CountsTheBlankWeeksApart_AndListsNoSignalForThem()
    {
        var card = await CardAsync("report ward 7", TestUser.CoachPatel);

        AssertNoRatingOrSignalForTheEmptyWeek(card, measuresWithoutTargetShown: true);
        Assert.Contains(Json("○ Not rated, no value this week: "), card, StringComparison.Ordinal);
        Assert.Contains("No signals this week", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rollup_ATeamWhoseHeadlineIsBlank_HasNoRatingOrSignalForIt()
    {
        var card = await CardAsync("rollup medicine", TestUser.ManagerMoss);

        AssertNoRatingOrSignalForTheEmptyWeek(card);
        Assert.Contains(Json("Cost per patient per week —"), card, StringComparison.Ordinal);
        Assert.Contains(Json("○ Not rated: no value this week"), card, StringComparison.Ordinal);
        Assert.Contains("0 of 2 teams need a look", card, StringComparison.Ordinal); // W47's cost signals are not this week's
    }
}
