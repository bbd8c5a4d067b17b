using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ValueManagement.Bot.Tests.Infrastructure;
using ValueManagement.Core.Weeks;
using ValueManagement.Testing.BotFramework;

namespace ValueManagement.Bot.Tests.BoxScores;

/// <summary>The report-out shows the SPC chart of each measure with a signal (with alt text), and none for the others.</summary>
public sealed class ReportOutChartTests(BotTestEnvironment environment) : IClassFixture<BotTestEnvironment>, IAsyncLifetime
{
    private const string PublicBaseUrl = "https://vm-bot.example.nhs.uk";

    // Monday 7 December 2026: the report-out is of 2026-W49.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
    private BotTestHost _host = null!;

    public Task InitializeAsync()
    {
        _host = environment.StartHost(new Dictionary<string, string?>
        {
            ["Charts:SigningKey"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)(i * 3)).ToArray()),
            ["Charts:PublicBaseUrl"] = PublicBaseUrl,
        }, services => services.AddSingleton<TimeProvider>(_time));
        TestOrganisation.Seed(_host);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private void Store(double[] falls, double[] sickness) => TestOrganisation.StoreWard7Weeks(_host, new IsoWeek(2026, 49), falls, sickness);

    private async Task<JsonNode> ReportAsync()
    {
        await _host.SendAsync(_host.Activities.Personal("report ward 7", TestUser.NurseJones));
        return Assert.Single(await _host.Cloud.WaitForCallsAsync(1)).Card!;
    }

    private static List<JsonNode> Images(JsonNode card) =>
        card["body"]!.AsArray().Where(e => e?["type"]?.GetValue<string>() == "Image").Select(e => e!).ToList();

    [Fact]
    public async Task MeasuresWithSignals_HaveTheirChart_WithAltText_OthersNone()
    {
        // Falls down for the last six weeks, sickness up for the last seven: two shifts. Costs never change.
        Store(
            falls: [6, 7, 5, 6, 8, 6, 5, 7, 6, 5, 7, 6, 6, 5, 2, 3, 2, 1, 2, 2],
            sickness: [4, 4.2, 3.9, 4.1, 4, 3.8, 4.2, 4, 4.1, 3.9, 4, 4.1, 4, 6, 6.5, 6.2, 6.8, 6.4, 6.6, 6.3]);

        var card = await ReportAsync();
        var images = Images(card);

        Assert.Equal(2, images.Count);
        Assert.All(images, image =>
        {
            Assert.StartsWith(PublicBaseUrl + "/charts/", image["url"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(image["altText"]?.GetValue<string>()));
        });
        var alt = string.Join(" | ", images.Select(i => i["altText"]!.GetValue<string>()));
        Assert.Contains("Falls", alt, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Sickness", alt, StringComparison.OrdinalIgnoreCase);

        using var client = _host.CreateClient();
        using var png = await client.GetAsync(new Uri(images[0]["url"]!.GetValue<string>()).PathAndQuery);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task NoSignals_NoCharts()
    {
        Store(
            falls: [6, 7, 5, 6, 8, 6, 5, 7, 6, 5, 7, 6, 6, 5, 6, 7, 5, 6, 7, 6],
            sickness: [4, 4.2, 3.9, 4.1, 4, 3.8, 4.2, 4, 4.1, 3.9, 4, 4.1, 4, 4.2, 3.9, 4.1, 4, 3.8, 4.2, 4]);

        var card = await ReportAsync();

        Assert.Empty(Images(card));
        Assert.Contains("No signals this week", card.ToJsonString(), StringComparison.Ordinal);
    }
}
