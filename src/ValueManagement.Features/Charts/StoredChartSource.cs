using System.Globalization;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Signals;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.Capture;
using ValueManagement.Features.TeamSetup;
using SignalCause = ValueManagement.Core.Signals.SpecialCause;

namespace ValueManagement.Features.Charts;

/// <summary>
/// Charts drawn from the stored weekly figures: the measure's last 52 weeks (12 for a sparkline)
/// up to the requested week, as they stood at the data version, with the signal engine's centre,
/// limits and special causes.
/// </summary>
public sealed class StoredChartSource(TeamDirectory directory, MeasureSetStore measureSets, SubmissionStore submissions) : IChartSource
{
    public const int FullWeeks = 52;
    public const int SparklineWeeks = 12;

    /// <summary>The data version to put in a chart URL: when the team's figures last changed (Unix milliseconds).</summary>
    public static string VersionOf(IEnumerable<Core.Submissions.WeeklySubmission> history) =>
        history.SelectMany(h => h.Revisions).Select(r => r.At).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Max()
            .ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);

    public ValueTask<ChartModel?> GetChartAsync(ChartRequest request, CancellationToken cancellationToken)
    {
        if (directory.FindTeam(request.TeamId) is not { } team
            || measureSets.Find(team.MeasureSetId) is not { } set
            || set.Find(request.MeasureKey) is not { } measure
            || !IsoWeek.TryParse(request.Week, out var week))
            return ValueTask.FromResult<ChartModel?>(null);

        DateTimeOffset? asOf = null;
        if (request.DataVersion is not null)
        {
            if (!long.TryParse(request.DataVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
                return ValueTask.FromResult<ChartModel?>(null);
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
        if (known.Count == 0) return ValueTask.FromResult<ChartModel?>(null);

        var signal = SignalAnalyzer.Analyze(known, new SignalOptions
        {
            Direction = measure.Direction switch
            {
                MeasureDirection.LowerIsBetter => ImprovementDirection.Decrease,
                MeasureDirection.HigherIsBetter => ImprovementDirection.Increase,
                _ => ImprovementDirection.Neither,
            },
            Target = measure.Target,
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

        return ValueTask.FromResult<ChartModel?>(new ChartModel
        {
            Title = $"{measure.Name}: {team.Name}",
            UnitLabel = MeasureFormat.UnitLabel(measure.Unit),
            Points = points,
            Kind = request.Kind,
            Target = measure.Target,
            TrialLimits = signal.IsTrial,
            CentreLineName = signal.RuleSet == SignalRuleSet.RunChart ? "median" : "average",
            Decimals = measure.Decimals,
        });
    }
}
