using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Audit;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Charts;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;
using ValueManagement.Testing.Cards;

namespace ValueManagement.Bot.Tests.People;

/// <summary>
/// An adopted test of change on the measure's chart and the report-out, and the coach's rebase of the
/// measure's limits from the week it was adopted (and its undo), through <c>/api/messages</c>.
/// </summary>
public sealed class RebaseTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
    private static readonly IsoWeek Adopted = IsoWeek.Parse("2026-W49");

    // Wednesday 2 December 2026 (2026-W49): the change is adopted; the report-out is for W49, a week later.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private BotTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = environment.StartHost(new Dictionary<string, string?>
        {
            ["Charts:SigningKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["Charts:PublicBaseUrl"] = "https://vm-bot.example.nhs.uk",
        }, services => services.AddSingleton<TimeProvider>(_time));
        TestOrganisation.Seed(_host);

        // Twenty weeks of falls: around 6 a week until W44, around 2 since the huddle was tried in W45.
        TestOrganisation.StoreWard7Weeks(_host, Adopted, [6, 7, 5, 6, 8, 6, 5, 7, 6, 5, 7, 6, 6, 5, 7, 2, 3, 2, 1, 2]);

        Assert.Contains("Started **P1**", await SayAsync("pdsa ward 7 add Safety huddle at 14:00 for falls", TestUser.CoachPatel), StringComparison.Ordinal);
        Assert.Contains("now **adopted**", await SayAsync("pdsa P1 status adopted", TestUser.CoachPatel), StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromDays(5)); // Monday 7 December: the last completed week is W49
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<string> SayAsync(string text, TestUser from)
    {
        _host.Cloud.ClearCalls();
        using var response = await _host.SendAsync(_host.Activities.Personal(text, from));
        response.EnsureSuccessStatusCode();
        return Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Body?["text"]?.GetValue<string>() ?? string.Empty;
    }

    private async Task<JsonNode> ReportCardAsync()
    {
        _host.Cloud.ClearCalls();
        using var response = await _host.SendAsync(_host.Activities.Personal("report ward 7", TestUser.NurseJones));
        response.EnsureSuccessStatusCode();
        return Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!;
    }

    private ChartModel FallsChart()
    {
        var charts = _host.Services.GetRequiredService<StoredChartSource>();
        var team = _host.Services.GetRequiredService<TeamDirectory>().FindTeam(TestOrganisation.Ward7)!;
        return charts.Model(charts.RequestFor(team, "falls", Adopted, ChartKind.Full))!;
    }

    private JsonObject RebaseData() => new()
    {
        [RebaseLimitsAction.TeamKey] = TestOrganisation.Ward7, [RebaseLimitsAction.TestKey] = "P1", [RebaseLimitsAction.WeekKey] = Adopted.ToString(),
    };

    [Fact]
    public async Task AdoptedChange_MarkedOnTheChart_ReportOutSaysSoInWordsAndAltText()
    {
        var chart = FallsChart();
        var mark = Assert.Single(chart.Annotations);
        Assert.Equal(("2026-W49", "P1 adopted"), (mark.At, mark.Text));

        var card = await ReportCardAsync();
        var json = card.ToJsonString();
        Assert.Contains("Changes adopted", json, StringComparison.Ordinal);
        Assert.Contains("P1 Safety huddle at 14:00 was adopted in 2026-W49", json, StringComparison.Ordinal);
        Assert.Contains("Limits not rebased yet", json, StringComparison.Ordinal);
        Assert.Contains("Rebase limits from 2026-W49", json, StringComparison.Ordinal);
        var image = card["body"]!.AsArray().Single(e => e?["type"]?.GetValue<string>() == "Image")!;
        Assert.StartsWith("https://vm-bot.example.nhs.uk/charts/", image["url"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("P1 adopted at 2026-W49", image["altText"]!.GetValue<string>(), StringComparison.Ordinal);
        AdaptiveCardSchema.Validate(card.ToJsonString()).AssertValid("the report-out with an adopted change");
    }

    [Fact]
    public async Task CoachRebases_FromTheAdoptedWeek_BoxScoreChartAndReportUseTheNewLimits_AuditedAndUndone()
    {
        var before = FallsChart().Points.Single(p => p.Label == "2026-W49");

        var answer = await _host.InvokeAsync(_host.Activities.Invoke(RebaseLimitsAction.VerbName, RebaseData(), TestUser.CoachPatel));

        Assert.Equal("application/vnd.microsoft.card.adaptive", answer?["type"]?.GetValue<string>());
        var card = answer!["value"]!.ToJsonString();
        Assert.Contains("Limits rebased from 2026-W49 (confirmed by Ravi Patel)", card, StringComparison.Ordinal);
        Assert.DoesNotContain("Rebase limits from", card, StringComparison.Ordinal);

        var rebase = Assert.Single(_host.Services.GetRequiredService<LimitRebaseStore>().ForTeam(TestOrganisation.Ward7));
        Assert.Equal(("falls", "2026-W49", "P1", TestUser.CoachPatel.AadObjectId), (rebase.MeasureKey, rebase.Week, rebase.TestOfChangeId, rebase.By));

        // The chart: a new period from W49, its centre line from W49's point alone.
        var after = FallsChart();
        var w49 = after.Points.Single(p => p.Label == "2026-W49");
        Assert.Equal(2, w49.CentreLine); // W49 had 2 falls
        Assert.NotEqual(before.CentreLine, w49.CentreLine);
        Assert.Equal(100.0 / 19, after.Points.Single(p => p.Label == "2026-W48").CentreLine!.Value, 9); // the 19 weeks before W49 on their own
        Assert.Contains("limits rebased at 2026-W49", ChartAltText.Describe(after), StringComparison.Ordinal);

        // The box score: two periods for falls, none for a measure that was not rebased.
        var team = _host.Services.GetRequiredService<TeamDirectory>().FindTeam(TestOrganisation.Ward7)!;
        var score = _host.Services.GetRequiredService<BoxScoreService>().Compute(team, Adopted);
        Assert.Equal(2, score.Lines.Single(l => l.Key == "falls").Signal!.Periods.Count);
        Assert.Single(score.Lines.Single(l => l.Key == "payCost").Signal!.Periods);

        var audit = _host.Services.GetRequiredService<AuditLog>().ForTeam(TestOrganisation.Ward7);
        Assert.Contains(audit, e => e.Subject == LimitRebaseStore.AuditSubject && e.Action == "rebase" && e.ActorId == TestUser.CoachPatel.AadObjectId);

        Assert.Contains("already start afresh", await SayAsync("pdsa P1 rebase", TestUser.CoachPatel), StringComparison.Ordinal);
        Assert.Contains("Only Ward 7's improvement coach", await SayAsync("pdsa P1 rebase undo", TestUser.NurseJones), StringComparison.Ordinal);
        Assert.Contains("Undone", await SayAsync("pdsa P1 rebase undo", TestUser.CoachPatel), StringComparison.Ordinal);

        Assert.Empty(_host.Services.GetRequiredService<LimitRebaseStore>().ForTeam(TestOrganisation.Ward7));
        Assert.Equal(before.CentreLine, FallsChart().Points.Single(p => p.Label == "2026-W49").CentreLine);
        Assert.Single(_host.Services.GetRequiredService<BoxScoreService>().Compute(team, Adopted).Lines.Single(l => l.Key == "falls").Signal!.Periods);
        Assert.Contains(_host.Services.GetRequiredService<AuditLog>().ForTeam(TestOrganisation.Ward7), e => e.Subject == LimitRebaseStore.AuditSubject && e.Action == "rebase-undo");
        Assert.Contains("Rebase limits from 2026-W49", (await ReportCardAsync()).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterARebase_TheRollupReadsTheTeamAsItsBoxScoreDoes()
    {
        var service = _host.Services.GetRequiredService<BoxScoreService>();
        var team = _host.Services.GetRequiredService<TeamDirectory>().FindTeam(TestOrganisation.Ward7)!;
        var scope = service.FindScope("service", team.ServiceId)!;
        (int Signals, int Concerns, int RowSignals, int RowConcerns) Read()
        {
            var score = service.Compute(team, Adopted);
            var row = service.Rollup(scope, Adopted).Rows.Single(r => r.TeamId == TestOrganisation.Ward7);
            return (score.Lines.Count(l => l.HasSignal), score.Count(Core.Signals.SpecialCause.Concern), row.Signals, row.Concerns);
        }

        var before = Read();
        await _host.InvokeAsync(_host.Activities.Invoke(RebaseLimitsAction.VerbName, RebaseData(), TestUser.CoachPatel));
        var after = Read();

        Assert.Equal((before.Signals, before.Concerns), (before.RowSignals, before.RowConcerns));
        Assert.Equal((after.Signals, after.Concerns), (after.RowSignals, after.RowConcerns));
        Assert.NotEqual(before.Signals, after.Signals); // falls' shift is no signal once its limits start afresh at W49
    }

    [Fact]
    public async Task DataLeadPressesRebase_Refused_NothingStored()
    {
        var answer = await _host.InvokeAsync(_host.Activities.Invoke(RebaseLimitsAction.VerbName, RebaseData(), TestUser.NurseJones));

        Assert.StartsWith("Only Ward 7's improvement coach or an admin", answer?["value"]?.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_host.Services.GetRequiredService<LimitRebaseStore>().ForTeam(TestOrganisation.Ward7));
    }

    [Fact]
    public async Task RebaseOfAChangeStillBeingTested_Refused()
    {
        Assert.Contains("Started **P2**", await SayAsync("pdsa ward 7 add Bed rails at handover for falls", TestUser.CoachPatel), StringComparison.Ordinal);

        Assert.Contains("not adopted", await SayAsync("pdsa P2 rebase", TestUser.CoachPatel), StringComparison.Ordinal);
        Assert.Empty(_host.Services.GetRequiredService<LimitRebaseStore>().ForTeam(TestOrganisation.Ward7));
    }
}
