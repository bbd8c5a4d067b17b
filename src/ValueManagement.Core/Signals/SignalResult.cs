namespace ValueManagement.Core.Signals;

/// <summary>One point of the analysed series, with the lines of its period and what the rules made of it.</summary>
/// <param name="Index">0-based position in the series.</param>
/// <param name="Label">The x label as given.</param>
/// <param name="Value">The y value as given.</param>
/// <param name="Centre">The period's mean (XmR) or baseline median (run chart).</param>
/// <param name="Lower">The lower process limit; <see langword="null"/> on a run chart, or for a period of one point.</param>
/// <param name="Upper">The upper process limit; <see langword="null"/> as for <paramref name="Lower"/>.</param>
/// <param name="SpecialCause">Improvement, concern or neutral when a rule fired, else none.</param>
/// <param name="Rule">The rule that fired (the first in order of precedence), else none.</param>
/// <param name="Period">0-based index of the period (rebasing starts a new one).</param>
public readonly record struct SignalPoint(
    int Index,
    string Label,
    double Value,
    double Centre,
    double? Lower,
    double? Upper,
    SpecialCause SpecialCause,
    SignalRule Rule,
    int Period);

/// <summary>The runs test of a run chart period.</summary>
/// <param name="UsefulPoints">Points not on the median.</param>
/// <param name="Runs">Runs of points on one side of the median (points on it skipped).</param>
/// <param name="Critical">
/// The critical values for the useful points split ⌊n/2⌋ / ⌈n/2⌉; <see langword="null"/> below 10 useful points,
/// where the test is not applied.
/// </param>
public sealed record RunsTest(int UsefulPoints, int Runs, RunsCriticalValues? Critical)
{
    /// <summary>Too few runs: at or below the lower critical value.</summary>
    public bool TooFew => Critical?.Lower is { } lower && Runs <= lower;

    /// <summary>Too many runs: at or above the upper critical value.</summary>
    public bool TooMany => Critical?.Upper is { } upper && Runs >= upper;

    public bool IsSignal => TooFew || TooMany;
}

/// <summary>A stretch of the series with one centre line and one set of limits (the whole series unless rebased).</summary>
/// <param name="Start">Index of its first point.</param>
/// <param name="Count">Number of points.</param>
/// <param name="Centre">Mean (XmR) or baseline median (run chart).</param>
/// <param name="Lower">Lower process limit (XmR with 2 points or more).</param>
/// <param name="Upper">Upper process limit (XmR with 2 points or more).</param>
/// <param name="NearLower">Edge of the lower "near the limit" band: mean − ⅔ · 2.66 · mR̄.</param>
/// <param name="NearUpper">Edge of the upper "near the limit" band: mean + ⅔ · 2.66 · mR̄.</param>
/// <param name="MeanMovingRange">mR̄ after screening (XmR).</param>
/// <param name="BaselineCount">Points the centre line was computed from.</param>
/// <param name="IsTrial">The centre line and limits are from fewer points than the trial threshold.</param>
/// <param name="Runs">The runs test (run chart).</param>
public sealed record SignalPeriod(
    int Start,
    int Count,
    double Centre,
    double? Lower,
    double? Upper,
    double? NearLower,
    double? NearUpper,
    double? MeanMovingRange,
    int BaselineCount,
    bool IsTrial,
    RunsTest? Runs);

/// <summary>What <see cref="SignalAnalyzer.Analyze"/> found: every point, every period, and the summary for the box score.</summary>
public sealed record SignalResult(
    SignalRuleSet RuleSet,
    ImprovementDirection Direction,
    double? Target,
    IReadOnlyList<SignalPoint> Points,
    IReadOnlyList<SignalPeriod> Periods,
    VariationIcon Variation,
    Assurance Assurance,
    bool IsTrial,
    string Description)
{
    /// <summary>The period the latest point is in: the limits in force now.</summary>
    public SignalPeriod? CurrentPeriod => Periods.Count == 0 ? null : Periods[^1];
}
