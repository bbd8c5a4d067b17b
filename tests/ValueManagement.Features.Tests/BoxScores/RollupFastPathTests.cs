using ValueManagement.Core.BoxScores;
using ValueManagement.Core.Measures;
using ValueManagement.Core.Signals;
using ValueManagement.Core.Weeks;
using ValueManagement.Features.BoxScores;
using ValueManagement.Features.Demo;

namespace ValueManagement.Features.Tests.BoxScores;

/// <summary>
/// A roll-up row works out only what it shows (ratings, latest special causes, the headline and the lines that need
/// attention). These tests hold it to the row read off the full box score, on a board built to hit the corners: gaps,
/// missing and flat series, sampled and derived measures, zero denominators, short histories (run charts), weeks
/// before, inside and after the history, other headlines and other signal rules.
/// </summary>
public sealed class RollupFastPathTests
{
    private static readonly MeasureSet[] Sets = [DefaultMeasureSets.AcuteWard, BoxScoreSamples.ThirtyMeasureSet, .. DemoOrganisation.Setup.MeasureSets];

    public static TheoryData<string> Options => [.. OptionsByName.Keys];

    private static readonly Dictionary<string, BoxScoreOptions> OptionsByName = new()
    {
        ["default"] = BoxScoreOptions.Default,
        ["headline-falls"] = new BoxScoreOptions { HeadlineKey = "falls", RecentWeeks = 6 },
        ["headline-unknown"] = new BoxScoreOptions { HeadlineKey = "noSuchMeasure" },
        ["run-chart"] = new BoxScoreOptions { Signal = SignalOptions.Default with { RuleSet = SignalRuleSet.RunChart, RunChartBaselinePoints = 20 } },
        ["xmr-unscreened"] = new BoxScoreOptions { Signal = SignalOptions.Default with { RuleSet = SignalRuleSet.Xmr, ScreenMovingRanges = false, TrialBelowPoints = 30 } },
        ["xmr-from-5-points"] = new BoxScoreOptions { Signal = SignalOptions.Default with { MinimumPointsForXmr = 5 } },
        ["rebased"] = new BoxScoreOptions { Signal = SignalOptions.Default with { RebaseAt = [0, 1] } },
        // Coaches' rebases by week, as the service passes them: before, inside and after the histories, several per measure.
        ["rebased-from-weeks"] = new BoxScoreOptions
        {
            RebasedFrom = new Dictionary<string, IReadOnlyList<IsoWeek>>
            {
                ["falls"] = [BoxScoreSamples.Week.AddWeeks(-8)],
                ["sicknessAbsence"] = [BoxScoreSamples.Week.AddWeeks(-40), BoxScoreSamples.Week.AddWeeks(-12)],
                ["costPerPatientWeek"] = [BoxScoreSamples.Week.AddWeeks(-300), BoxScoreSamples.Week.AddWeeks(-3)],
                ["bankHours"] = [BoxScoreSamples.Week.AddWeeks(5)],
            },
        },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void Row_OnAVariedBoard_IsTheRowOfTheFullBoxScore(string options)
    {
        var chosen = OptionsByName[options];
        var random = new Random(4);
        var compared = 0;
        for (var i = 0; i < 120; i++)
        {
            var team = VariedTeam(random, i);
            var week = WeekToShow(random, team.History);

            var expected = Outcome(() => FromFullBoxScore(team, week, chosen));
            var actual = Outcome(() => RollupCalculator.Row(team, week, chosen));

            Assert.True(expected == actual, $"Team {team.TeamId} ({team.Measures.Id}, {team.History.Count} weeks, week {week}):\nfull: {expected}\nfast: {actual}");
            compared++;
        }
        Assert.Equal(120, compared);
    }

    [Fact]
    public void Rollup_OfAVariedBoard_OrdersAndCountsAsTheFullBoxScoresDo()
    {
        var random = new Random(7);
        var teams = Enumerable.Range(0, 60).Select(i => VariedTeam(random, i)).ToList();
        var week = BoxScoreSamples.Week;

        var fast = RollupCalculator.Compute(teams, week);
        var rows = teams.Select(t => FromFullBoxScore(t, week, null)).ToList();
        var full = new Rollup(week, [.. fast.Rows.Select(r => rows.Single(x => x.TeamId == r.TeamId))]);

        Assert.Equal(BoxScoreFingerprint.Of(full), BoxScoreFingerprint.Of(fast));
        Assert.Contains(fast.Rows, r => r.Concerns > 0);
        Assert.Contains(fast.Rows, r => r.Red > 0 && r.Concerns == 0);
        Assert.Contains(fast.Rows, r => !r.HasFigures);
    }

    /// <summary>The row as the roll-up first computed it: the whole box score, then read off its lines.</summary>
    private static RollupRow FromFullBoxScore(RollupTeam team, IsoWeek week, BoxScoreOptions? options)
    {
        var score = BoxScoreCalculator.Compute(team.Measures, week, team.History, options);
        var attention = score.Lines.Where(l => l.SpecialCause == SpecialCause.Concern).ToList();
        return new RollupRow(
            team.TeamId, team.TeamName, team.ServiceId, team.ServiceName, score.Headline,
            score.Count(Rating.Red), score.Count(Rating.Amber), score.Count(Rating.Green),
            score.Count(SpecialCause.Concern), score.Lines.Count(l => l.HasSignal),
            score.HasFigures, score.Completeness.IsComplete, attention);
    }

    /// <summary>The row's fingerprint, or the exception both paths must throw alike (a rebase beyond a short series).</summary>
    private static string Outcome(Func<RollupRow> row)
    {
        try
        {
            var computed = row();
            return BoxScoreFingerprint.Of(new Rollup(BoxScoreSamples.Week, [computed]));
        }
        catch (ArgumentException e)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static IsoWeek WeekToShow(Random random, IReadOnlyList<WeekValues> history) => random.Next(6) switch
    {
        0 when history.Count > 0 => history[random.Next(history.Count)].Week,
        1 when history.Count > 0 => history[0].Week.AddWeeks(-1),
        2 when history.Count > 0 => history[^1].Week.AddWeeks(random.Next(1, 4)),
        _ => BoxScoreSamples.Week,
    };

    private static RollupTeam VariedTeam(Random random, int i)
    {
        var set = Sets[i % Sets.Length];
        var length = random.Next(4) switch
        {
            0 => random.Next(0, 13),
            1 => random.Next(13, 40),
            _ => random.Next(40, 170),
        };
        var end = BoxScoreSamples.Week.AddWeeks(-random.Next(0, 3));
        var history = new List<WeekValues>(length);
        var level = set.Measures.ToDictionary(m => m.Key, m => m.Target ?? 10 + random.Next(50));
        var flat = set.Measures.Where(_ => random.Next(8) == 0).Select(m => m.Key).ToHashSet();
        var gapEvery = random.Next(3) == 0 ? random.Next(3, 9) : 0;
        for (var w = 0; w < length; w++)
        {
            if (gapEvery > 0 && w % gapEvery == 1) continue;
            var week = end.AddWeeks(w - length + 1);
            var values = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var measure in set.Measures.Where(m => !m.IsDerived))
            {
                if (random.Next(10) == 0) continue; // not recorded
                if (measure.IsSampled && random.Next(6) != 0) continue;
                var key = measure.Key;
                if (!flat.Contains(key))
                {
                    // A wobble, now and then a step (a shift to find) or a steady drift (a trend).
                    var step = random.Next(25) == 0 ? (random.NextDouble() - 0.5) * level[key] : 0;
                    var drift = w % 30 < 8 ? 0.03 * Math.Max(1, Math.Abs(level[key])) : 0;
                    level[key] += step + drift;
                }
                var value = flat.Contains(key) ? level[key] : level[key] + (random.NextDouble() - 0.5) * 0.2 * Math.Max(1, Math.Abs(level[key]));
                if (measure.Target is { } target && random.Next(12) == 0) value = target;
                if (key == "patientsAdmitted" && random.Next(15) == 0) value = 0; // cost per patient: a zero denominator
                values[key] = measure.IsInteger ? Math.Round(value) : Math.Round(value, 2);
            }
            if (random.Next(20) == 0) values["notInTheSet"] = 1;
            history.Add(new WeekValues(week, values));
        }
        if (random.Next(3) == 0) history.Reverse(); // stored order is not week order
        return new RollupTeam($"team-{i}", $"Team {i}", $"service-{i % 4}", $"Service {i % 4}", set, history);
    }
}
