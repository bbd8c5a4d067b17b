using BenchmarkDotNet.Attributes;
using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Signals;

namespace ValueManagement.Benchmarks;

[MemoryDiagnoser]
public class BoxScoreBenchmarks
{
    private IReadOnlyList<WeekValues> history = null!;
    private IReadOnlyList<RollupTeam> board = null!;

    [GlobalSetup]
    public void Setup()
    {
        history = BenchmarkData.ThreeYears();
        board = BenchmarkData.Board();
    }

    [Benchmark(Description = "Box score with signals, 30 measures × 156 weeks")]
    public BoxScore BoxScore() => BoxScoreCalculator.Compute(BenchmarkData.ThirtyMeasures, BenchmarkData.Week, history);

    [Benchmark(Description = "Roll-up of 1,000 teams (computation)")]
    public Rollup Rollup() => RollupCalculator.Compute(board, BenchmarkData.Week);
}

[MemoryDiagnoser]
public class SignalBenchmarks
{
    private SeriesPoint[] series = null!;

    [Params(SignalRuleSet.RunChart, SignalRuleSet.Xmr)]
    public SignalRuleSet RuleSet { get; set; }

    [GlobalSetup]
    public void Setup() =>
        series = BenchmarkData.ThreeYears()
            .Select(w => new SeriesPoint(w.Week.ToString(), w.Values["falls"] ?? 0))
            .ToArray();

    [Benchmark(Description = "SPC on 156 points")]
    public SignalResult Analyze() => SignalAnalyzer.Analyze(series, new SignalOptions { RuleSet = RuleSet, Direction = ImprovementDirection.Decrease, Target = 1 });
}
