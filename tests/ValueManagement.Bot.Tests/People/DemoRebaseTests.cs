using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Charts;
using ValueManagement.Features.Demo;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.People;

/// <summary>
/// The demo data, loaded by the bot at start, holds one team's adopted change followed by a step change with the coach's
/// rebase stored: the report-out says so and the measure's chart has one set of limits before the change and one after.
/// </summary>
public sealed class DemoRebaseTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
    private static readonly TestUser RaviPatel = new("Ravi Patel", DemoOrganisation.People.RaviPatel);

    // Monday 30 November 2026: the demo's last week is 2026-W48, its week 27 (of 0 to 51) is 2026-W24.
    private static readonly IsoWeek AdoptedWeek = IsoWeek.Parse("2026-W24");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private BotTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = environment.StartHost(new Dictionary<string, string?>
        {
            ["Demo:LoadWhenEmpty"] = "true",
            ["Charts:SigningKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["Charts:PublicBaseUrl"] = "https://vm-bot.example.nhs.uk",
        }, services => services.AddSingleton<TimeProvider>(_time));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DemoRespiratory_ReportOutShowsTheAdoptedChangeWithItsLimitsRebased_AndTheChartHasTwoPeriods()
    {
        var rebase = Assert.Single(_host.Services.GetRequiredService<LimitRebaseStore>().ForTeam(DemoOrganisation.Respiratory));
        Assert.Equal(("dischargesBeforeNoon", AdoptedWeek.ToString(), "Ravi Patel"), (rebase.MeasureKey, rebase.Week, rebase.ByName));

        using var response = await _host.SendAsync(_host.Activities.Personal("report respiratory", RaviPatel));
        response.EnsureSuccessStatusCode();
        var card = Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!.ToJsonString();
        Assert.Contains("Changes adopted", card, StringComparison.Ordinal);
        Assert.Contains($"P1 Plan discharges at the morning huddle was adopted in {AdoptedWeek}", card, StringComparison.Ordinal);
        Assert.Contains($"Limits rebased from {AdoptedWeek} (confirmed by Ravi Patel)", card, StringComparison.Ordinal);
        Assert.Contains("https://vm-bot.example.nhs.uk/charts/", card, StringComparison.Ordinal);

        var charts = _host.Services.GetRequiredService<StoredChartSource>();
        var team = _host.Services.GetRequiredService<TeamDirectory>().FindTeam(DemoOrganisation.Respiratory)!;
        var chart = charts.Model(charts.RequestFor(team, "dischargesBeforeNoon", IsoWeek.Parse("2026-W48"), ChartKind.Full))!;
        Assert.Contains(chart.Annotations, a => a.At == AdoptedWeek.ToString() && a.Text == "P1 adopted");
        // One centre line before the change (about 24%) and one from the adopted week on (about 40%).
        var before = chart.Points.Where(p => string.CompareOrdinal(p.Label, AdoptedWeek.ToString()) < 0).Select(p => p.CentreLine).Distinct().ToList();
        var since = chart.Points.Where(p => string.CompareOrdinal(p.Label, AdoptedWeek.ToString()) >= 0).Select(p => p.CentreLine).Distinct().ToList();
        Assert.InRange(Assert.Single(before)!.Value, 20, 30);
        Assert.InRange(Assert.Single(since)!.Value, 35, 45);
    }
}
