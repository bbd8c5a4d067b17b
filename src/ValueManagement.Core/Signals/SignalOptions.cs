namespace ValueManagement.Core.Signals;

/// <summary>How to judge a series. The defaults are those pinned in the domain document.</summary>
public sealed record SignalOptions
{
    public static SignalOptions Default { get; } = new();

    /// <summary>Which way is better. Defaults to <see cref="ImprovementDirection.Neither"/>: no claim of better or worse.</summary>
    public ImprovementDirection Direction { get; init; } = ImprovementDirection.Neither;

    /// <summary>The measure's target, for the assurance icon (XmR only).</summary>
    public double? Target { get; init; }

    /// <summary>
    /// The rule set; <see langword="null"/> picks it from the number of points: a run chart below
    /// <see cref="MinimumPointsForXmr"/>, XmR from there on.
    /// </summary>
    public SignalRuleSet? RuleSet { get; init; }

    /// <summary>
    /// XmR moving-range screening (NHSRplotthedots' default): moving ranges of at least 3.267 × mR̄ are dropped and mR̄
    /// recomputed once. Off reproduces the Making Data Count Excel tool.
    /// </summary>
    public bool ScreenMovingRanges { get; init; } = true;

    /// <summary>
    /// The indices (0-based, into the series) where a new period starts, after an adopted change: each period gets its
    /// own centre line and limits, from its own points only, and the rules do not run across a rebase.
    /// </summary>
    public IReadOnlyList<int> RebaseAt { get; init; } = [];

    /// <summary>Run chart: the median is that of the first this many points of each period (all of them when fewer).</summary>
    public int RunChartBaselinePoints { get; init; } = 12;

    /// <summary>A period with fewer points than this has trial limits (a trial median on a run chart).</summary>
    public int TrialBelowPoints { get; init; } = 12;

    /// <summary>When <see cref="RuleSet"/> is not given: XmR from this many points, a run chart below.</summary>
    public int MinimumPointsForXmr { get; init; } = 12;

    /// <summary>What one point is, for the plain-English description: "week" gives "7 weeks below average".</summary>
    public string PointNoun { get; init; } = "week";
}
