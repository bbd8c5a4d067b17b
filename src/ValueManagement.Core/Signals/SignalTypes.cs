namespace ValueManagement.Core.Signals;

/// <summary>One value of a measure, in time order: the label the chart shows (a week, a date) and the value.</summary>
public readonly record struct SeriesPoint(string Label, double Value);

/// <summary>Which way is better for a measure.</summary>
public enum ImprovementDirection
{
    /// <summary>Higher is better.</summary>
    Increase,

    /// <summary>Lower is better.</summary>
    Decrease,

    /// <summary>Neither way is better (activity, volumes): signals are neutral.</summary>
    Neither,
}

/// <summary>The two rule sets of the domain, "Signal or noise: the rules, pinned".</summary>
public enum SignalRuleSet
{
    /// <summary>Run chart, IHI rules (Perla, Provost &amp; Murray 2011): median, shift, trend, runs.</summary>
    RunChart,

    /// <summary>XmR chart, NHS England "Making Data Count" rules as NHSRplotthedots 0.2.2 implements them.</summary>
    Xmr,
}

/// <summary>What a point's special cause means for the team.</summary>
public enum SpecialCause
{
    /// <summary>Common cause variation: noise.</summary>
    None,

    /// <summary>A real change for the better.</summary>
    Improvement,

    /// <summary>A real change for the worse.</summary>
    Concern,

    /// <summary>A real change where neither way is better, or a pattern with no direction (runs).</summary>
    Neutral,
}

/// <summary>The rule that marked a point (the first that applies, in the rule set's order of precedence).</summary>
public enum SignalRule
{
    None,

    /// <summary>XmR: strictly above the upper or below the lower process limit.</summary>
    OutsideLimits,

    /// <summary>XmR: 7 points strictly rising or falling. Run chart: 5 points rising or falling, equal neighbours counted once.</summary>
    Trend,

    /// <summary>XmR: 2 of 3 consecutive points near a limit, all 3 on that side of the mean.</summary>
    TwoOfThree,

    /// <summary>XmR: 7 points on one side of the mean. Run chart: 6 points on one side of the median.</summary>
    Shift,

    /// <summary>Run chart: too few or too many runs around the median for the number of points.</summary>
    Runs,
}

/// <summary>The Making Data Count variation icon, taken from the last point.</summary>
public enum VariationIcon
{
    CommonCause,
    ImprovementHigh,
    ImprovementLow,
    ConcernHigh,
    ConcernLow,
    NeitherHigh,
    NeitherLow,
}

/// <summary>The Making Data Count assurance icon: will the process meet the target?</summary>
public enum Assurance
{
    /// <summary>No judgement: no target, no improvement direction, or no process limits (run chart).</summary>
    None,

    /// <summary>The whole process range is on the good side of the target.</summary>
    ConsistentlyPasses,

    /// <summary>The whole process range is on the bad side of the target.</summary>
    ConsistentlyFails,

    /// <summary>The target lies inside the process range: the process will sometimes pass, sometimes fail.</summary>
    Inconsistent,
}
