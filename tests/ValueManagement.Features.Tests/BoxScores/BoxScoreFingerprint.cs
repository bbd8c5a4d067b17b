using System.Globalization;
using System.Text;
using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Demo;

namespace ValueManagement.Features.Tests.BoxScores;

/// <summary>
/// Everything a box score or roll-up says, as text: every line's figures, rating, change, recent weeks, and its
/// signal down to each point's rule. Pinned in BoxScoreSnapshots/ (written by the unoptimised calculator) so that
/// work on speed cannot change a result.
/// </summary>
public static class BoxScoreFingerprint
{
    public static readonly IsoWeek DemoWeek = new(2026, 47);

    /// <summary>The scenarios pinned, by file name.</summary>
    public static IReadOnlyList<(string Name, Func<string> Text)> Scenarios { get; } =
    [
        ("thirty-measures-156-weeks", () => Of(BoxScoreCalculator.Compute(BoxScoreSamples.ThirtyMeasureSet, BoxScoreSamples.Week, BoxScoreSamples.History(BoxScoreSamples.ThirtyMeasureSet, 156)))),
        ("ward7", () => Of(BoxScoreSamples.Ward7BoxScore()) + Of(BoxScoreSamples.Ward7AwaitingFinance()) + Of(BoxScoreSamples.NoFiguresYet())),
        ("demo-teams", Demo),
        ("rollup-45-teams", () => Of(BoxScoreSamples.Rollup())),
    ];

    private static string Demo()
    {
        var sets = new List<MeasureSet> { DefaultMeasureSets.AcuteWard };
        sets.AddRange(DemoOrganisation.Setup.MeasureSets);
        var text = new StringBuilder();
        foreach (var team in DemoHistory.Generate(DemoWeek))
        {
            var setId = DemoOrganisation.Setup.Teams.Single(t => t.Id == team.TeamId).MeasureSetId;
            var set = sets.Single(s => s.Id == setId);
            var history = team.Weeks
                .Select(w => new WeekValues(w.Week, w.Entered.Concat(w.Imported).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal)))
                .ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"# {team.TeamId}");
            text.Append(Of(BoxScoreCalculator.Compute(set, DemoWeek, history)));
            text.Append(Of(BoxScoreCalculator.Compute(set, DemoWeek.AddWeeks(-20), history)));
        }
        return text.ToString();
    }

    public static string Of(Rollup rollup)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"rollup {rollup.Week} attention={rollup.TeamsNeedingAttention}");
        foreach (var row in rollup.Rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"row {row.TeamId} {row.TeamName} {row.ServiceId} {row.ServiceName} red={row.Red} amber={row.Amber} green={row.Green} concerns={row.Concerns} signals={row.Signals} figures={row.HasFigures} complete={row.IsComplete}");
            if (row.Headline is { } headline) Line(text, "headline ", headline);
            foreach (var line in row.Attention) Line(text, "attention ", line);
        }
        return text.ToString();
    }

    public static string Of(BoxScore score)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"boxscore {score.Measures.Id} {score.Week} figures={score.HasFigures} headline={score.Headline?.Key} complete={score.Completeness.IsComplete} missing={string.Join(',', score.Completeness.MissingRequired.Select(m => m.Key))} awaiting={string.Join(',', score.Completeness.AwaitingImport.Select(m => m.Key))}");
        foreach (var line in score.Lines) Line(text, "", line);
        return text.ToString();
    }

    private static void Line(StringBuilder text, string prefix, BoxScoreLine line)
    {
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{prefix}{line.Key}: this={N(line.ThisWeek)} last={N(line.LastWeek)} sample={line.SampleWeek} lastWeek={line.LastWeekWeek} change={N(line.Change.Difference)}/{line.Change.Arrow}/{line.Change.Quality} rating={line.Rating} recent=[{string.Join(' ', line.Recent.Select(N))}] text={line.ThisWeekText}|{line.ChangeText}|{line.SignalText}");
        if (line.Signal is not { } signal) return;
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  signal {signal.RuleSet} {signal.Direction} target={N(signal.Target)} variation={signal.Variation} assurance={signal.Assurance} trial={signal.IsTrial} \"{signal.Description}\"");
        foreach (var period in signal.Periods)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  period {period.Start}+{period.Count} centre={N(period.Centre)} limits={N(period.Lower)}..{N(period.Upper)} near={N(period.NearLower)}..{N(period.NearUpper)} mr={N(period.MeanMovingRange)} baseline={period.BaselineCount} trial={period.IsTrial} runs={period.Runs?.UsefulPoints}/{period.Runs?.Runs}/{period.Runs?.IsSignal}");
        }
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  points {string.Join(' ', signal.Points.Select(p => $"{p.Label}={N(p.Value)}{(p.Rule == Core.Signals.SignalRule.None ? "" : $":{p.Rule}/{p.SpecialCause}")}"))}");
    }

    private static string N(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "-";
}
