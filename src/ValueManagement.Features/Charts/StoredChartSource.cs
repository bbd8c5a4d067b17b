using System.Globalization;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Signals;
using ValueManagement.Core.Weeks;
using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Organisation;
using ValueManagement.Features.Capture;
using ValueManagement.Features.Improvement;
using ValueManagement.Features.TeamSetup;
using SignalCause = ValueManagement.Core.Signals.SpecialCause;

namespace ValueManagement.Features.Charts;

/// <summary>
/// Charts drawn from the stored weekly figures: the measure's last 52 weeks (12 for a sparkline)
/// up to the requested week, as they stood at the data version, with the signal engine's centre,
/// limits and special causes. Limits start afresh from each week a coach rebased them from, and each
/// adopted test of change for the measure is marked at the week it was adopted.
/// </summary>
public sealed class StoredChartSource(
    TeamDirectory directory,
    MeasureSetStore measureSets,
    SubmissionStore submissions,
    TestOfChangeStore testsOfChange,
    LimitRebaseStore rebases) : IChartSource
{
    public const int FullWeeks = 52;
    public const int SparklineWeeks = 12;

    /// <summary>The data version to put in a chart URL: when the team's figures last changed (Unix milliseconds).</summary>
    public static string VersionOf(IEnumerable<Core.Submissions.WeeklySubmission> history) =>
        history.SelectMany(h => h.Revisions).Select(r => r.At).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max()
            .ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    public ValueTask<ChartModel?> GetChartAsync(ChartRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(Model(request));

    /// <summary>
    /// The request for a team's measure chart ending with <paramref name="week"/>, its data version the latest of the
    /// figures, the adoptions and the rebases, so a URL posted before any of them changed keeps its picture apart.
    /// </summary>
    public ChartRequest RequestFor(TeamProfile team, string measureKey, IsoWeek week, ChartKind kind)
    {
        var length = kind == ChartKind.Sparkline ? SparklineWeeks : FullWeeks;
        var latest = submissions.History(team.Id, week.AddWeeks(-(length - 1)), week)
            .SelectMany(h => h.Revisions).Select(r => r.At)
            .Concat(testsOfChange.ForTeam(team.Id).Where(t => t.MeasureKey == measureKey).Select(t => t.StatusSince))
            .Concat(rebases.ForTeam(team.Id).Where(r => r.MeasureKey == measureKey).Select(r => r.At))
            .DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max();
        return new ChartRequest(team.Id, measureKey, week.ToString(), kind, latest.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>What <see cref="GetChartAsync"/> returns, for card builders that work synchronously.</summary>
    public ChartModel? Model(ChartRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (directory.FindTeam(request.TeamId) is not { } team
            || measureSets.Find(team.MeasureSetId) is not { } set
            || set.Find(request.MeasureKey) is not { } measure
            || !IsoWeek.TryParse(request.Week, out var week))
            return null;

        DateTimeOffset? asOf = null;
        if (request.DataVersion is not null)
        {
            if (!long.TryParse(request.DataVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
                return null;
            asOf = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        }

        var length = request.Kind == ChartKind.Sparkline ? SparklineWeeks : FullWeeks;
        var first = week.AddWeeks(-(length - 1));
        var stored = submissions.History(team.Id, first, week).ToDictionary(h => h.Week);
        var weeks = Enumerable.Range(0, length).Select(first.AddWeeks).ToList();
        var values = weeks.Select(w =>
        {
            if (!stored.TryGetValue(w, out var submission)) return (double?)null;
            var revisions = asOf is null ? submission.Revisions.Count : submission.Revisions.Count(r => r.At <= asOf);
            return set.Compute(submission.ValuesAfter(revisions)).GetValueOrDefault(measure.Key);
        }).ToList();

        var known = weeks.Zip(values).Where(p => p.Second is not null).Select(p => new SeriesPoint(p.First.ToString(), p.Second!.Value)).ToList();
        if (known.Count == 0) return null;

        var signal = SignalAnalyzer.Analyze(known, new SignalOptions
        {
            Direction = measure.Direction switch
            {
                MeasureDirection.LowerIsBetter => ImprovementDirection.Decrease,
                MeasureDirection.HigherIsBetter => ImprovementDirection.Increase,
                _ => ImprovementDirection.Neither,
            },
            Target = measure.Target,
            RebaseAt = rebases.WeeksByMeasure(team.Id).TryGetValue(measure.Key, out var rebasedFrom) ? BoxScoreCalculator.RebaseIndices(known, rebasedFrom) : [],
        });
        var byLabel = signal.Points.ToDictionary(p => p.Label);

        var points = weeks.Select(w =>
        {
            var label = w.ToString();
            if (!byLabel.TryGetValue(label, out var point)) return new ChartPoint(label, null);
            return new ChartPoint(label, point.Value, point.SpecialCause switch
            {
                SignalCause.Improvement => SpecialCause.Improvement,
                SignalCause.Concern => SpecialCause.Concern,
                SignalCause.Neutral => SpecialCause.Neutral,
                _ => SpecialCause.None,
            })
            {
                CentreLine = point.Centre,
                LowerLimit = point.Lower,
                UpperLimit = point.Upper,
            };
        }).ToList();

        var shown = weeks.Select(w => w.ToString()).ToHashSet(StringComparer.Ordinal);
        var annotations = request.Kind == ChartKind.Sparkline
            ? []
            : AdoptedChange.Of(team, testsOfChange.ForTeam(team.Id))
                .Where(a => a.MeasureKey == measure.Key && shown.Contains(a.Week.ToString()))
                .Select(a => new ChartAnnotation(a.Week.ToString(), a.ChartLabel))
                .ToList();

        return new ChartModel
        {
            Title = $"{measure.Name}: {team.Name}",
            UnitLabel = MeasureFormat.UnitLabel(measure.Unit),
            Points = points,
            Kind = request.Kind,
            Target = measure.Target,
            TrialLimits = signal.IsTrial,
            CentreLineName = signal.RuleSet == SignalRuleSet.RunChart ? "median" : "average",
            Decimals = measure.Decimals,
            Annotations = annotations,
        };
    }
}
