using BenchmarkDotNet.Attributes;
using ValueManagement.Core.BoxScores;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Cards;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Benchmarks;

[MemoryDiagnoser]
public class CardBenchmarks
{
    private BoxScore score = null!;
    private PromptCardModel prompt = null!;

    [GlobalSetup]
    public void Setup()
    {
        score = BoxScoreCalculator.Compute(BenchmarkData.ThirtyMeasures, BenchmarkData.Week, BenchmarkData.ThreeYears());
        prompt = CardSamples.Prompt();
    }

    [Benchmark(Description = "Box-score card, 30 measures → JSON")]
    public string BoxScoreCardJson() => CardJson.ToJson(BoxScoreCard.Build(BoxScoreSamples.Ward7, score));

    [Benchmark(Description = "Report-out card, 30 measures → JSON")]
    public string ReportOutCardJson() => CardJson.ToJson(ReportOutCard.Build(BoxScoreSamples.Ward7, score));

    [Benchmark(Description = "Prompt card → JSON")]
    public string PromptCardJson() => CardJson.ToJson(PromptCard.Build(prompt));
}
