using ValueManagement.Core.Measures;
using ValueManagement.Core.Signals;
using ValueManagement.Core.Weeks;

namespace ValueManagement.Core.BoxScores;

/// <summary>One team's input to a roll-up: who it is, where it sits, its measures and its stored weeks.</summary>
/// <param name="RebasedFrom">Per measure, the weeks its limits start afresh (the coaches' confirmed rebases), as the team's box score has them.</param>
public sealed record RollupTeam(
    string TeamId, string TeamName, string ServiceId, string ServiceName, MeasureSet Measures, IReadOnlyList<WeekValues> History,
    IReadOnlyDictionary<string, IReadOnlyList<IsoWeek>>? RebasedFrom = null);

/// <summary>One team's row on a roll-up.</summary>
/// <param name="Headline">The headline measure's line (cost per patient per week by default), if the team's set has one.</param>
/// <param name="Concerns">Measures whose point this week is a special cause of concern.</param>
/// <param name="Signals">Measures with any special cause on this week's point (improvement, concern or neutral).</param>
/// <param name="Attention">The measures with a special cause of concern this week, in the set's order.</param>
public sealed record RollupRow(
    string TeamId,
    string TeamName,
    string ServiceId,
    string ServiceName,
    BoxScoreLine? Headline,
    int Red,
    int Amber,
    int Green,
    int Concerns,
    int Signals,
    bool HasFigures,
    bool IsComplete,
    IReadOnlyList<BoxScoreLine> Attention)
{
    /// <summary>
    /// Whether the row needs a manager's eye (<see cref="RollupCalculator.NeedsALookRule"/>): a measure worsening for
    /// real this week (a special cause of concern), or the headline off target this week and the week before.
    /// A red rating alone does not count: many measures sit off target for months, and a single week off is noise.
    /// </summary>
    public bool NeedsAttention => Concerns > 0 || HeadlineOffTargetAgain;

    /// <summary>The headline is rated red this week and was red the week before (for a sampled headline: the sample before).</summary>
    public bool HeadlineOffTargetAgain =>
        Headline is { Rating: Rating.Red } headline && RatingRules.Rate(headline.Measure, headline.LastWeek) == Rating.Red;
}

/// <summary>Box scores of many teams for one week, grouped by service, the teams that need attention first.</summary>
public sealed record Rollup(IsoWeek Week, IReadOnlyList<RollupRow> Rows)
{
    public int TeamsNeedingAttention => Rows.Count(r => r.NeedsAttention);
}

public static class RollupCalculator
{
    /// <summary>
    /// Each team's box score for <paramref name="week"/>, summarised. Rows are ordered by service name, then within a
    /// service: teams with signals or red ratings first (most concerns, then most reds, then most signals), then by name.
    /// Teams are computed in parallel: each is independent and the computation is pure.
    /// </summary>
    public static Rollup Compute(IReadOnlyList<RollupTeam> teams, IsoWeek week, BoxScoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(teams);
        var rows = new RollupRow[teams.Count];
        Parallel.For(0, teams.Count, i => rows[i] = Row(teams[i], week, options));
        var ordered = rows
            .OrderBy(r => r.ServiceName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.ServiceId, StringComparer.Ordinal)
            .ThenByDescending(r => r.NeedsAttention)
            .ThenByDescending(r => r.Concerns)
            .ThenByDescending(r => r.Red)
            .ThenByDescending(r => r.Signals)
            .ThenBy(r => r.TeamName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.TeamId, StringComparer.Ordinal)
            .ToList();
        return new Rollup(week, ordered);
    }

    /// <summary>
    /// The team's row: its box score for <paramref name="week"/> as <see cref="BoxScoreCalculator.Compute"/> works it
    /// out, but with full lines (signal points, words) only for the headline and the measures that need attention.
    /// </summary>
    public static RollupRow Row(RollupTeam team, IsoWeek week, BoxScoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(team);
        if (team.RebasedFrom is { Count: > 0 } rebasedFrom)
            options = (options ?? BoxScoreOptions.Default) with { RebasedFrom = rebasedFrom };
        var score = BoxScoreCalculator.Summarize(team.Measures, week, team.History, NeedsAttention, options);
        return new RollupRow(
            team.TeamId, team.TeamName, team.ServiceId, team.ServiceName, score.Headline,
            score.Count(Rating.Red), score.Count(Rating.Amber), score.Count(Rating.Green),
            score.Count(SpecialCause.Concern), score.Signals,
            score.HasFigures, score.Completeness.IsComplete, score.Lines);
    }

    /// <summary>A measure a manager should look at: a special cause of concern on this week's point.</summary>
    public static bool NeedsAttention(Rating rating, SpecialCause cause) => cause == SpecialCause.Concern;

    /// <summary>What <see cref="RollupRow.NeedsAttention"/> counts, in the words the roll-up card uses.</summary>
    public const string NeedsALookRule =
        "a measure worsening for real this week (a special cause of concern), or the headline off target two weeks running";
}
