using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Organisation;
using ValueManagement.Core.Signals;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Charts;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.TeamSetup;
using ValueManagement.Teams.Cards;

namespace ValueManagement.Features.BoxScores;

/// <summary>
/// The report-out card for a team and week, as every path sends it (the command, the card button, the Thursday
/// reminder): box score, signals with the SPC charts of the measures that have them, adopted changes with their
/// measure's chart and the coach's rebase, and the team's tests of change.
/// </summary>
/// <param name="chartSource">The stored charts; null (no chart feature) shows signals and adopted changes in words only.</param>
/// <param name="chartLinks">Signs chart URLs; null, or charts off, shows signals and adopted changes in words only.</param>
public sealed class ReportOutBuilder(
    BoxScoreService boxScores,
    TestOfChangeStore testsOfChange,
    MeasureSetStore measureSets,
    LimitRebaseStore rebases,
    StoredChartSource? chartSource = null,
    IChartLinks? chartLinks = null)
{
    /// <summary>The most adopted changes the card shows, the latest first.</summary>
    public const int AdoptedShown = 3;

    /// <summary>The most measures with signals whose chart the card shows (concerns first): more would bury the card in pictures.</summary>
    public const int SignalChartsShown = 5;

    public AdaptiveCard Build(TeamProfile team, IsoWeek week) => Build(team, week, alsoShowTestId: null);

    /// <param name="alsoShowTestId">An adopted change to show even when it is not one of the latest (the one just rebased).</param>
    public AdaptiveCard Build(TeamProfile team, IsoWeek week, string? alsoShowTestId)
    {
        var tests = testsOfChange.ForTeam(team.Id);
        var measures = measureSets.Find(team.MeasureSetId);
        var rebased = rebases.ForTeam(team.Id);
        var score = boxScores.Compute(team, week);
        string? RebasedBy(AdoptedChange a) => rebased.FirstOrDefault(r => r.TestOfChangeId == a.Test.Id.ToString() && r.MeasureKey == a.MeasureKey)?.ByName;
        SustainedShift? ShiftSince(AdoptedChange a) =>
            score.Line(a.MeasureKey) is { HasValue: true, Signal: { } signal } ? SustainedShift.Since(signal, a.Week.ToString()) : null;

        var candidates = AdoptedChange.Of(team, tests)
            .Where(a => a.Week <= week && measures?.Find(a.MeasureKey) is not null)
            .ToList();
        // The latest few, and any older one whose measure has shifted since, not yet rebased: the coach's cue to rebase.
        var latest = candidates.TakeLast(AdoptedShown).ToHashSet();
        var shownChanges = candidates
            .Where(a => latest.Contains(a) || a.Test.Id.ToString() == alsoShowTestId || (RebasedBy(a) is null && ShiftSince(a) is not null))
            .Reverse()
            .ToList();
        var adopted = shownChanges
            .Select(a => new AdoptedChangeItem(
                a.Test.Id.ToString(),
                a.Test.Title,
                measures!.Find(a.MeasureKey)!.Name,
                a.Week,
                RebasedBy(a),
                ChartFor(team, a.MeasureKey, week),
                RebasedBy(a) is null && ShiftSince(a) is { } shift ? ShiftWords(shift, score.Line(a.MeasureKey)!) : null))
            .ToList();

        // A measure whose adopted change is shown already has its chart there, beside the change.
        var chartedWithChange = shownChanges.Select(a => a.MeasureKey).ToHashSet(StringComparer.Ordinal);
        var charts = new Dictionary<string, ChartImage>(StringComparer.Ordinal);
        foreach (var line in ReportOutCard.SignalsInOrder(score).Where(l => !chartedWithChange.Contains(l.Key)).Take(SignalChartsShown))
        {
            if (ChartFor(team, line.Key, week) is { } chart) charts[line.Key] = chart;
        }
        return ReportOutCard.Build(team, score, charts, testsOfChange: tests, measures: measures, adoptedChanges: adopted);
    }

    /// <summary>"9 weeks in a row below the average since then": the shift rule's run, in the line's own words for its points.</summary>
    private static string ShiftWords(SustainedShift shift, BoxScoreLine line)
    {
        var noun = line.Measure.IsSampled ? "samples" : "weeks";
        var centre = line.Signal?.RuleSet == SignalRuleSet.RunChart ? "the median" : "the average";
        return $"{shift.Points} {noun} in a row {(shift.Side > 0 ? "above" : "below")} {centre} since then";
    }

    private ChartImage? ChartFor(TeamProfile team, string measureKey, IsoWeek week)
    {
        if (chartSource is null || chartLinks is not { IsEnabled: true }) return null;
        var request = chartSource.RequestFor(team, measureKey, week, ChartKind.Full);
        return chartSource.Model(request) is { } model && chartLinks.For(request, model) is { } link
            ? new ChartImage(link.Url.ToString(), link.AltText)
            : null;
    }
}
