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
/// <param name="Concerns">Measures whose latest point is a special cause of concern.</param>
/// <param name="Signals">Measures with any special cause on their latest point (improvement, concern or neutral).</param>
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
    /// <summary>Whether the row needs a manager's eye: a red rating or a signal of concern.</summary>
    public bool NeedsAttention => Red > 0 || Concerns > 0;
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
        var attention = score.Lines
            .OrderByDescending(l => l.SpecialCause == SpecialCause.Concern)
            .ThenByDescending(l => l.Rating == Rating.Red)
            .ToList();
        return new RollupRow(
            team.TeamId, team.TeamName, team.ServiceId, team.ServiceName, score.Headline,
            score.Count(Rating.Red), score.Count(Rating.Amber), score.Count(Rating.Green),
            score.Count(SpecialCause.Concern), score.Signals,
            score.HasFigures, score.Completeness.IsComplete, attention);
    }

    /// <summary>A measure a manager should look at: rated red, or a special cause of concern on its latest point.</summary>
    public static bool NeedsAttention(Rating rating, SpecialCause cause) => rating == Rating.Red || cause == SpecialCause.Concern;
}
