using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.BoxScores;
using ValueManagement.Teams.Cards;
using ValueManagement.Testing.Cards;

namespace ValueManagement.Features.Tests.BoxScores;

public sealed class BoxScoreCardTests
{
    [Fact]
    public void ThirtyMeasures_StayUnder28KB_AndMeetTheSchema()
    {
        var score = BoxScoreSamples.ThirtyMeasures();
        Assert.Equal(30, score.Lines.Count);

        var card = BoxScoreCard.Build(BoxScoreSamples.Ward7, score);

        Assert.InRange(CardJson.SizeInBytes(card), 1, 28 * 1024 - 1);
        AdaptiveCardSchema.Validate(card).AssertValid("The 30-measure box score");
    }

    [Fact]
    public void ThirtyMeasures_WithTableAndStackedList_StayUnder25KB_LeavingRoomForLongerNamesAndSignals()
    {
        var card = BoxScoreCard.Build(BoxScoreSamples.Ward7, BoxScoreSamples.ThirtyMeasures());

        Assert.InRange(CardJson.SizeInBytes(card), 1, 25 * 1024 - 1);
    }

    [Fact]
    public void Card_ShowsEveryMeasure_RatingsInWords_TheHeadline_AndAStackedListForPhones()
    {
        var score = BoxScoreSamples.Ward7BoxScore();
        var json = CardJson.ToJson(BoxScoreCard.Build(BoxScoreSamples.Ward7, score));

        Assert.All(score.Lines, l => Assert.Contains(System.Text.Json.JsonEncodedText.Encode(l.Measure.Name).ToString(), json, StringComparison.Ordinal));
        Assert.Contains(System.Text.Json.JsonEncodedText.Encode("£438.50").ToString(), json, StringComparison.Ordinal);
        Assert.Contains("On target", json, StringComparison.Ordinal);
        Assert.Contains("\"targetWidth\":\"atMost:narrow\"", json, StringComparison.Ordinal);
        Assert.Contains("\"verb\":\"showReport\"", json, StringComparison.Ordinal);
        Assert.Contains("\"verb\":\"editWeek\"", json, StringComparison.Ordinal);
        var table = Assert.Single(BoxScoreCard.Build(BoxScoreSamples.Ward7, score).Body.OfType<Table>());
        Assert.Equal(6, table.Columns.Count); // the rating shares the "This week" cell: symbol and tint, explained by the key above the table
        Assert.Equal(TargetWidth.AtLeastStandard, table.TargetWidth);
        Assert.Contains(System.Text.Json.JsonEncodedText.Encode(BoxScoreText.SymbolKey).ToString(), json, StringComparison.Ordinal);
    }

    [Fact]
    public void AwaitingFinance_IsSaid()
    {
        var json = CardJson.ToJson(BoxScoreCard.Build(BoxScoreSamples.Ward7, BoxScoreSamples.Ward7AwaitingFinance()));
        Assert.Contains("Awaiting finance data: Pay cost, Non-pay cost", json, StringComparison.Ordinal);
        Assert.Contains("awaiting finance data", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Rating.Green, "● On target")]
    [InlineData(Rating.Amber, "◐ Near target")]
    [InlineData(Rating.Red, "✖ Off target")]
    public void Ratings_HaveASymbolAndAWord_NotJustAColour(Rating rating, string text)
    {
        Assert.Equal(text, BoxScoreText.RatingText(rating));
        Assert.NotNull(BoxScoreText.RatingStyle(rating));
    }

    [Fact]
    public void ReportOut_WithCharts_GivesEveryImageAltText_AndWithoutChartsHasNoImages()
    {
        var score = BoxScoreSamples.Ward7BoxScore();
        var plain = ReportOutCard.Build(BoxScoreSamples.Ward7, score);
        Assert.DoesNotContain("\"Image\"", CardJson.ToJson(plain), StringComparison.Ordinal);

        var charts = score.Lines.Where(l => l.HasSignal).ToDictionary(l => l.Key, l => new ChartImage($"https://example.org/{l.Key}.png", $"{l.Measure.Name}, last 12 weeks"));
        Assert.NotEmpty(charts);
        var card = ReportOutCard.Build(BoxScoreSamples.Ward7, score, charts);
        var json = CardJson.ToJson(card);
        Assert.Contains("Signals: what is real change", json, StringComparison.Ordinal);
        Assert.Equal(charts.Count, json.Split("\"type\":\"Image\"").Length - 1);
        AdaptiveCardSchema.Validate(card).AssertValid("The report-out card with charts");
    }

    [Fact]
    public void Rollup_ShowsFifteenTeams_AndMore()
    {
        Assert.Equal(15, BoxScoreService.RollupPageSize);
        var rollup = BoxScoreSamples.Rollup();
        var scope = new RollupScope(RoleScopeKind.Board, "nhs-highland", "NHS Highland");
        var first = CardJson.ToJson(RollupCard.Build(scope, rollup));
        Assert.Contains("\"verb\":\"rollupMore\"", first, StringComparison.Ordinal);
        Assert.Contains("\"offset\":15", first, StringComparison.Ordinal);
        // Each team's button carries the verb twice (its own, and its Action.Submit fallback's), and its table cell
        // twice too (its select action and that action's fallback).
        Assert.Equal(4 * 15, first.Split("\"verb\":\"showBoxScore\"").Length - 1);

        var last = CardJson.ToJson(RollupCard.Build(scope, rollup, offset: 40));
        Assert.DoesNotContain("rollupMore", last, StringComparison.Ordinal);
        Assert.Equal(4 * 5, last.Split("\"verb\":\"showBoxScore\"").Length - 1);
    }

    /// <summary>
    /// A page whose table would take the card over <see cref="RollupCard.MaxBytes"/> (here: very long team and service
    /// names) is sent with the stacked list alone, shown at every width, every team and button still there.
    /// </summary>
    [Fact]
    public void Rollup_TooBigWithTheTable_FallsBackToTheStackedListAlone()
    {
        var sample = BoxScoreSamples.Rollup();
        var rollup = sample with
        {
            Rows = sample.Rows.Select(r => r with
            {
                TeamName = r.TeamName + " " + new string('x', 120),
                ServiceName = r.ServiceName + " " + new string('y', 120),
            }).ToList(),
        };
        var scope = new RollupScope(RoleScopeKind.Board, "nhs-highland", "NHS Highland");

        var card = RollupCard.Build(scope, rollup);
        var json = CardJson.ToJson(card);

        Assert.DoesNotContain("\"type\":\"Table\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("targetWidth", json, StringComparison.Ordinal);
        Assert.Equal(2 * BoxScoreService.RollupPageSize, json.Split("\"verb\":\"showBoxScore\"").Length - 1);
        AdaptiveCardSchema.Validate(card).AssertValid("The roll-up without its table");

        // The sample's own names fit with the table.
        Assert.Contains("\"type\":\"Table\"", CardJson.ToJson(RollupCard.Build(scope, sample)), StringComparison.Ordinal);
        Assert.InRange(CardJson.SizeInBytes(RollupCard.Build(scope, sample)), 1, RollupCard.MaxBytes);
    }
}
